// A Test, Apply or Recover belongs to main, not to the page that started it: it goes on when the window
// reloads, or closes and opens again (macOS). A page that starts while one runs shows it in the run dialog
// (steps so far, Cancel) and then how it ended, and refreshes what it changed. A run that ended while no page
// was there is shown once, in the run dialog, when the next page starts: this window's storage remembers
// the runs whose end a page showed, so neither a reload nor a reopened window shows one again.
import type { FinishedRun, IpcError, IpcResult } from '../../../common/ipc';
import { invoke, subscribe } from '../api';
import type { RunState } from './store';

/** What the store lends for showing a run it did not start (its own functions, handed over by init()). */
export interface RunResumeTarget {
  /** the run the dialog shows, if any */
  shownRun(): RunState | null;
  showRun(run: RunState): void;
  finishRun(runId: string, patch: Partial<RunState>): void;
  /** a failed run: its error in the dialog and at the field it names */
  failRun(runId: string, error: IpcError): void;
  /** settings (keeping what is typed), recovery state and entropy, as the run left them; `appliedByRun`: it applied settings */
  refreshAfterRun(appliedByRun: boolean): Promise<void>;
}

const SHOWN_KEY = 'kmip-console.runsShown';
/** Run ids kept as shown: main's last run is among the latest of them (a run ends while another page shows an older one). */
const SHOWN_KEPT = 20;

let stopListening: (() => void) | null = null;

/** The window's storage; undefined where the page has none (then an ended run may be shown twice). */
function windowStorage(): Storage | undefined {
  try {
    return window.localStorage ?? undefined;
  } catch {
    return undefined; // refused by the browser's settings
  }
}

function runsShown(): string[] {
  try {
    const kept: unknown = JSON.parse(windowStorage()?.getItem(SHOWN_KEY) ?? '[]');
    return Array.isArray(kept) ? kept.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return []; // not ours, or damaged: at worst a run is shown once more
  }
}

/** Runs this page started: their end comes as their own answer, and then as main's runFinished event. */
const startedHere = new Set<string>();

/** This page started run `runId` (its end is shown by the answer to its own request). */
export function runStartedHere(runId: string): void {
  startedHere.add(runId);
}

/** Answers to a run's request that mean main never ran it: it is not main's last run, and is not marked. */
const REFUSED_BEFORE_START = new Set(['OPERATION_IN_PROGRESS', 'INVALID_REQUEST', 'IPC_UNAVAILABLE']);

/**
 * The answer to this page's own run request came (the page shows it): the next page does not show that
 * run again. Main's runFinished event marks it too, for when the answer is shown but the event comes
 * after the dialog closed; each is enough.
 */
export function ownRunAnswered(runId: string, result: IpcResult<unknown>): void {
  if (result.ok || !REFUSED_BEFORE_START.has(result.error.code)) markRunShown(runId);
}

/** The page showed how run `runId` ended: the next page does not show it again. */
function markRunShown(runId: string): void {
  const shown = runsShown().filter((id) => id !== runId);
  windowStorage()?.setItem(SHOWN_KEY, JSON.stringify([...shown, runId].slice(-SHOWN_KEPT)));
}

/** How a run that succeeded shows, as the page that started it shows it (store.ts test, apply, recover). */
function succeededPatch(run: FinishedRun): Partial<RunState> {
  if (!run.result.ok) return {};
  switch (run.kind) {
    case 'test':
      return { status: run.result.value.ok ? 'succeeded' : 'failed', steps: run.result.value.steps, test: run.result.value };
    case 'apply':
      return { status: 'succeeded', steps: run.result.value.steps, apply: run.result.value };
    case 'recover':
      return { status: 'succeeded', steps: run.result.value.steps, recover: run.result.value };
  }
}

/**
 * A run this page did not start, as it shows it: with, for a Test, the unsaved values it ran with, which this
 * page does not show (they were typed on the page before it, and were lost with it).
 */
function runningState(run: Pick<FinishedRun, 'kind' | 'runId' | 'steps' | 'canceled' | 'unsavedValues'>): RunState {
  return {
    kind: run.kind,
    runId: run.runId,
    status: 'running',
    steps: run.steps,
    ...(run.canceled ? { canceled: true } : {}),
    ...(run.unsavedValues ? { unsavedValues: run.unsavedValues } : {}),
  };
}

/** Asks main for a run this page did not start, and shows it; called once the page has its settings. */
export async function resumeRun(target: RunResumeTarget): Promise<void> {
  stopListening?.();
  /** the run taken up from main while it still ran */
  let adopted: string | null = null;
  /** a run whose end came before main's answer about it */
  let endedMeanwhile = null as FinishedRun | null; // set by the listener below

  const showEnd = (run: FinishedRun): void => {
    markRunShown(run.runId);
    if (target.shownRun()?.runId !== run.runId) target.showRun(runningState(run));
    // Every step main reported (some came before this page listened), and a cancel asked for by an earlier page.
    target.finishRun(run.runId, { steps: run.steps, ...(run.canceled ? { canceled: true } : {}) });
    if (run.result.ok) target.finishRun(run.runId, succeededPatch(run));
    else target.failRun(run.runId, run.result.error);
    void target.refreshAfterRun(run.result.ok && run.kind !== 'test');
  };

  stopListening = subscribe('runFinished', (run) => {
    if (run.runId === adopted) showEnd(run);
    // The page's own run: it shows the answer to its request itself. Marked on main's event, which comes
    // only for a run main ran (not one the page or main refused before it started), even once its dialog is closed.
    else if (startedHere.has(run.runId)) markRunShown(run.runId);
    else endedMeanwhile = run;
  });
  const answer = await invoke('app:runState', {});
  // Nothing to show, or the operator started a run meanwhile (main refuses it while another runs, and says so).
  if (!answer.ok || target.shownRun()?.status === 'running') return;
  const { running, lastFinished } = answer.value;
  if (running !== null) {
    if (endedMeanwhile?.runId === running.runId) {
      showEnd(endedMeanwhile);
      return;
    }
    adopted = running.runId;
    target.showRun(runningState(running));
  } else if (lastFinished !== null && !runsShown().includes(lastFinished.runId)) {
    showEnd(lastFinished);
  }
}
