// Implementations of every IPC channel (common/ipc.ts), Node-only: the Electron main process and
// the e2e bridge construct them with their own pickers and progress sink.
import type { ProgressEvent } from '../../common/ipc';
import type { IpcHandlers } from './ipc-dispatch';

export interface FilePickRequest {
  title: string;
  filters: { name: string; extensions: string[] }[];
}

export interface HandlerDeps {
  /** the app's data folder (settings, copied files, store) */
  dataDir: string;
  /** native open dialog; null when the user cancels */
  pickFile(request: FilePickRequest): Promise<string | null>;
  /** native save dialog; null when the user cancels */
  pickSaveFile(request: { title: string; defaultName: string }): Promise<string | null>;
  /** sends a Test / Apply / Recover step to the renderer */
  emitProgress(event: ProgressEvent): void;
}

class NotWiredError extends Error {
  readonly code = 'INTERNAL';
}

export function createIpcHandlers(_deps: HandlerDeps): IpcHandlers {
  const notWired = async (): Promise<never> => {
    throw new NotWiredError('This action is not available in this build.');
  };
  return {
    'settings:get': notWired,
    'settings:saveField': notWired,
    'settings:loadFile': notWired,
    'settings:clearFile': notWired,
    'settings:clearSecret': notWired,
    'settings:apply': notWired,
    'settings:revert': notWired,
    'settings:reset': notWired,
    'eks:test': notWired,
    'eks:recover': notWired,
    'app:recoveryState': notWired,
    'store:list': notWired,
    'store:add': notWired,
    'store:generate': notWired,
    'store:delete': notWired,
    'store:backup': notWired,
  };
}
