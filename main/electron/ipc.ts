// The one place IPC handlers are registered: every channel of common/ipc.ts goes through the same
// sender check and schema validation (dispatchIpc) before its main/app handler runs.
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { IPC_CHANNELS, type IpcResult } from '../../common/ipc';
import { dispatchIpc, type IpcHandlers } from '../app/ipc-dispatch';
import { isTrustedSender, type IpcSenderFacts } from './ipc-sender';

function senderFacts(event: IpcMainInvokeEvent): IpcSenderFacts {
  const frame = event.senderFrame;
  return {
    frameUrl: frame?.url,
    isMainFrame: frame !== null && frame === event.sender.mainFrame,
    webContentsId: event.sender.id,
  };
}

const untrustedSender: IpcResult<never> = {
  ok: false,
  error: { code: 'INVALID_REQUEST', message: 'Request refused: it did not come from the kmip-console window.' },
};

/** Registers every channel; `trustedContents` returns the one window allowed to call (or null). */
export function registerIpcHandlers(handlers: IpcHandlers, trustedContents: () => WebContents | null): void {
  for (const channel of IPC_CHANNELS) {
    ipcMain.handle(channel, async (event, request: unknown) => {
      if (!isTrustedSender(senderFacts(event), trustedContents()?.id ?? null)) return untrustedSender;
      return dispatchIpc(handlers, channel, request);
    });
  }
}
