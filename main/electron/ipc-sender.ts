// Who may call an IPC handler: only the main frame of our one window, showing our app:// page.
// Pure (no 'electron'): main.ts extracts these facts from the IPC event.
import { isAppUrl } from './app-origin';

export interface IpcSenderFacts {
  /** event.senderFrame?.url; undefined when the frame is gone */
  frameUrl: string | undefined;
  /** event.senderFrame === event.sender.mainFrame */
  isMainFrame: boolean;
  /** event.sender.id */
  webContentsId: number;
}

/** True only for our window's main frame on the app:// origin. */
export function isTrustedSender(sender: IpcSenderFacts, trustedWebContentsId: number | null): boolean {
  if (trustedWebContentsId === null || sender.webContentsId !== trustedWebContentsId) return false;
  if (!sender.isMainFrame) return false;
  return isAppUrl(sender.frameUrl);
}
