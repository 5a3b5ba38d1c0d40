// The renderer's only way out: window.kmip, installed by the preload (or by the e2e bridge).
import type { IpcChannel, IpcEventChannel, IpcEvents, IpcRequest, IpcResponse, IpcResult, RendererApi } from '../../common/ipc';

declare global {
  interface Window {
    kmip: RendererApi;
  }
}

export function invoke<C extends IpcChannel>(channel: C, request: IpcRequest<C>): Promise<IpcResult<IpcResponse<C>>> {
  return window.kmip.invoke(channel, request).catch((error: unknown) => ({
    ok: false as const,
    error: {
      code: 'IPC_UNAVAILABLE',
      message: `The main process did not answer (${error instanceof Error ? error.name : 'error'}): restart kmip-console.`,
    },
  }));
}

export function subscribe<E extends IpcEventChannel>(event: E, listener: (payload: IpcEvents[E]) => void): () => void {
  return window.kmip.on(event, listener);
}

/** Unique enough to match progress events to the run that asked for them. */
export function newRunId(kind: string): string {
  return `${kind}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}
