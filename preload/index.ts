// The renderer's only door to the main process: one frozen object, window.kmip, implementing the
// contract's RendererApi. Runs sandboxed, so it needs nothing but 'electron' at run time (the
// contract is imported for its types only).
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { IpcChannel, IpcEventChannel, IpcEvents, RendererApi } from '../common/ipc';

// Type-checked both ways against the contract: a missing or extra channel fails to compile.
const channels: Record<IpcChannel, true> = {
  'settings:get': true,
  'settings:saveField': true,
  'settings:loadFile': true,
  'settings:clearFile': true,
  'settings:clearSecret': true,
  'settings:apply': true,
  'settings:revert': true,
  'settings:reset': true,
  'eks:test': true,
  'eks:cancelRun': true,
  'eks:recover': true,
  'recovery:chooseBackup': true,
  'app:recoveryState': true,
  'app:runState': true,
  'app:leaveLosses': true,
  'app:entropyStatus': true,
  'store:list': true,
  'store:add': true,
  'store:generate': true,
  'store:delete': true,
  'store:backup': true,
};
const events: Record<IpcEventChannel, true> = { progress: true, runFinished: true };

const api: RendererApi = {
  invoke(channel, request) {
    if (!Object.prototype.hasOwnProperty.call(channels, channel)) {
      return Promise.resolve({ ok: false, error: { code: 'INVALID_REQUEST', message: `Unknown IPC channel "${String(channel)}".` } });
    }
    return ipcRenderer.invoke(channel, request);
  },
  on<E extends IpcEventChannel>(event: E, listener: (payload: IpcEvents[E]) => void): () => void {
    if (!Object.prototype.hasOwnProperty.call(events, event)) throw new Error(`Unknown event "${String(event)}".`);
    // Hand the page the payload only, never the IpcRendererEvent (it reaches ipcRenderer).
    const wrapped = (_event: IpcRendererEvent, payload: IpcEvents[E]) => listener(payload);
    ipcRenderer.on(event, wrapped);
    return () => {
      ipcRenderer.removeListener(event, wrapped);
    };
  },
};

contextBridge.exposeInMainWorld('kmip', Object.freeze(api));
