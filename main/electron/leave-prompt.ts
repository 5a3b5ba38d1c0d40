// The question main asks when the page refuses to go (its beforeunload guard): Chromium shows none, and
// only main knows whether the window reloads, closes with kmip-console staying (macOS), or the app quits,
// which is what decides the fate of a running Test, Apply or Recover. Pure (no 'electron'): main.ts
// reports the window's and the app's events here.
import type { RunKind } from '../../common/ipc';
import { leaveDetail, leaveMessage, type Leaving, type PageLosses } from '../../common/leave-question';

export interface LeaveQuestion {
  message: string;
  detail: string;
}

/** Before the page has said what it would lose (it reports at once when it starts). */
const UNKNOWN_LOSSES = 'The page may hold changes not saved yet, or show a running Test, Apply or Recover.';
const NOTHING_REPORTED: PageLosses = { run: null, unsavedFields: [], typedFilePasswords: [], typedSecret: null, typedKeyName: false };

/** One window's leave question: what its page reported, and how it is going. */
export class LeavePrompt {
  private losses: PageLosses = NOTHING_REPORTED;
  private windowClosing = false;
  private appQuitting = false;

  /** @param closeKeepsApp closing the last window leaves kmip-console running (macOS) */
  constructor(private readonly closeKeepsApp: boolean) {}

  /** The page's latest report ('app:leaveLosses'). */
  pageLossesChanged(losses: PageLosses): void {
    this.losses = losses;
  }

  /** The window is about to close (its 'close' event comes before the page's beforeunload). */
  onWindowClose(): void {
    this.windowClosing = true;
  }

  /** The app is about to quit ('before-quit'): its windows close next. */
  onAppQuit(): void {
    this.appQuitting = true;
  }

  private leaving(): Exclude<Leaving, 'close-or-reload'> {
    if (this.appQuitting || (this.windowClosing && !this.closeKeepsApp)) return 'quit';
    return this.windowClosing ? 'close' : 'reload';
  }

  /** The question for the page's refusal to go now. */
  question(): LeaveQuestion {
    const leaving = this.leaving();
    return { message: leaveMessage(this.losses, leaving) ?? UNKNOWN_LOSSES, detail: leaveDetail(this.losses, leaving) };
  }

  /** Leaving now would end kmip-console with the run the page reported: the question said so. */
  stopsRunIfLeft(): boolean {
    return this.leaving() === 'quit' && this.losses.run !== null;
  }

  /** The page reported a running run: its own leave question speaks of it. */
  reportsRun(): boolean {
    return this.losses.run !== null;
  }

  /** The operator answered: a page kept (Stay) cancels the close or the quit that asked. */
  answered(answer: 'stay' | 'leave'): void {
    this.windowClosing = false;
    if (answer === 'stay') this.appQuitting = false;
  }
}

/**
 * The question main asks before quitting while a Test, Apply or Recover runs that no page will ask about
 * (the window was closed on macOS, or a reloaded page has not taken the run up yet); null when none is
 * needed. Quitting ends main's process, and the run with it.
 */
export function quitWhileRunning(running: RunKind | null, pageReportsRun: boolean): LeaveQuestion | null {
  if (running === null || pageReportsRun) return null;
  const message = leaveMessage({ ...NOTHING_REPORTED, run: running }, 'quit') ?? UNKNOWN_LOSSES;
  return { message, detail: 'Quit ends kmip-console now; Stay keeps it running, and the run finishes.' };
}
