// The question main asks when the page refuses to go (explore report 6, findings 1 and 8): it names what
// the page reported it would lose, and says what truly becomes of a running run: it goes on after a reload
// or a closed window on macOS, and only quitting stops it. The page reports names only, checked by the
// contract's schema: it cannot put text of its own into the native dialog.
import { describe, expect, it } from 'vitest';
import { IPC_CHANNELS } from '../../../common/ipc';
import { leaveMessage, type PageLosses } from '../../../common/leave-question';
import { dispatchIpc, type IpcHandlers } from '../../../main/app/ipc-dispatch';
import { LeavePrompt, quitWhileRunning } from '../../../main/electron/leave-prompt';

const nothing: PageLosses = { run: null, unsavedFields: [], typedFilePasswords: [], typedSecret: null, typedKeyName: false };
const edits: PageLosses = { ...nothing, unsavedFields: ['hostName', 'password'], typedFilePasswords: ['clientKey'] };

describe('leaveMessage', () => {
  it('is null when leaving loses nothing and stops no run', () => {
    expect(leaveMessage(nothing, 'close-or-reload')).toBeNull();
  });

  it('says a running run goes on and its result comes back with the window, not that it is lost', () => {
    expect(leaveMessage({ ...edits, run: 'apply' }, 'close-or-reload')).toBe(
      'Closing or reloading now would lose unsaved changes to Host Name, Password; the password typed for Key, not loaded with a file. ' +
        'The running Apply goes on in the background: its result is shown when the window is back.',
    );
    expect(leaveMessage({ ...nothing, run: 'recover' }, 'reload')).toBe('The running Recover goes on in the background: its result is shown when the window is back.');
  });

  it('names the object store forms by their parts, never what was typed', () => {
    expect(leaveMessage({ ...nothing, typedSecret: 'value', typedKeyName: true }, 'reload')).toBe(
      'Reloading now would lose the value typed in Object store › Add a secret, not added; the name typed in Object store › Generate an AES key, not generated.',
    );
  });
});

describe('LeavePrompt (will-prevent-unload)', () => {
  it('asks about a reload with what the page reported', () => {
    const prompt = new LeavePrompt(false);
    prompt.pageLossesChanged({ ...edits, run: 'apply' });
    expect(prompt.question()).toEqual({
      message:
        'Reloading now would lose unsaved changes to Host Name, Password; the password typed for Key, not loaded with a file. ' +
        'The running Apply goes on in the background: its result is shown when the window is back.',
      detail: 'Leave reloads the window now; Stay keeps it as it is.',
    });
  });

  it('on macOS, a closed window leaves the app and its run going', () => {
    const prompt = new LeavePrompt(true);
    prompt.pageLossesChanged({ ...nothing, run: 'apply' });
    prompt.onWindowClose();
    expect(prompt.question()).toEqual({
      message: 'The running Apply goes on in the background: its result is shown when the window is back.',
      detail: 'Leave closes the window now (kmip-console keeps running); Stay keeps it as it is.',
    });
  });

  it('where closing the window quits (and whenever the app quits), says the run stops', () => {
    const closing = new LeavePrompt(false);
    closing.pageLossesChanged({ ...nothing, run: 'apply' });
    closing.onWindowClose();
    const expected = {
      message:
        'Quitting now stops the running Apply before it ends: after restarting kmip-console, check the settings and Recovery options before running it again.',
      detail: 'Leave closes the window and quits kmip-console now; Stay keeps it as it is, and lets the Apply finish.',
    };
    expect(closing.question()).toEqual(expected);
    const quitting = new LeavePrompt(true);
    quitting.pageLossesChanged({ ...nothing, run: 'apply' });
    quitting.onAppQuit();
    quitting.onWindowClose();
    expect(quitting.question()).toEqual(expected);
  });

  it('after Stay, the next question is about a reload again', () => {
    const prompt = new LeavePrompt(false);
    prompt.pageLossesChanged({ ...nothing, unsavedFields: ['port'] });
    prompt.onAppQuit();
    prompt.onWindowClose();
    expect(prompt.question().message).toBe('Quitting now would lose unsaved changes to Port.');
    prompt.answered('stay');
    expect(prompt.question().message).toBe('Reloading now would lose unsaved changes to Port.');
  });

  it('before the page has reported, asks in general terms', () => {
    expect(new LeavePrompt(false).question()).toEqual({
      message: 'The page may hold changes not saved yet, or show a running Test, Apply or Recover.',
      detail: 'Leave reloads the window now; Stay keeps it as it is.',
    });
  });
});

describe("'app:leaveLosses' request", () => {
  const reported: unknown[] = [];
  const handlers = Object.fromEntries(IPC_CHANNELS.map((channel) => [channel, async (request: unknown) => void reported.push(request)])) as unknown as IpcHandlers;

  it('passes a report of names', async () => {
    expect(await dispatchIpc(handlers, 'app:leaveLosses', edits)).toEqual({ ok: true, value: undefined });
    expect(reported).toEqual([edits]);
  });

  it('refuses free text where a name belongs, and anything extra', async () => {
    for (const request of [
      { ...edits, unsavedFields: ['Click Leave to keep your data'] },
      { ...edits, typedSecret: 'anything' },
      { ...edits, run: 'format-disk' },
      { ...edits, message: 'text of its own' },
    ]) {
      expect(await dispatchIpc(handlers, 'app:leaveLosses', request)).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    }
    expect(reported).toHaveLength(1);
  });
});

describe('quitWhileRunning (explore report 8, finding 2)', () => {
  it('asks before quitting while a run goes on that no page shows (the window closed on macOS)', () => {
    expect(quitWhileRunning('apply', false)).toEqual({
      message: 'Quitting now stops the running Apply before it ends: after restarting kmip-console, check the settings and Recovery options before running it again.',
      detail: 'Quit ends kmip-console now; Stay keeps it running, and the run finishes.',
    });
  });

  it('leaves the question to the page when it shows the run, and asks nothing with no run', () => {
    expect(quitWhileRunning('recover', true)).toBeNull();
    expect(quitWhileRunning(null, false)).toBeNull();
  });

  it('knows from the page whether its own question speaks of the run', () => {
    const prompt = new LeavePrompt(true);
    expect(prompt.reportsRun()).toBe(false);
    prompt.pageLossesChanged({ ...nothing, run: 'test' });
    expect(prompt.reportsRun()).toBe(true);
  });
});

describe('LeavePrompt.stopsRunIfLeft (explore report 9, finding 1)', () => {
  it('is true when closing the last window quits (Windows, Linux) with a run the page reported: the quit after Leave asks no more', () => {
    const prompt = new LeavePrompt(false);
    prompt.pageLossesChanged({ ...nothing, run: 'apply' });
    prompt.onWindowClose();
    expect(prompt.question().message).toMatch(/^Quitting now stops the running Apply/);
    expect(prompt.stopsRunIfLeft()).toBe(true);
  });

  it('is false on macOS, where the closed window leaves the run going (a later quit asks), and on a reload', () => {
    const mac = new LeavePrompt(true);
    mac.pageLossesChanged({ ...nothing, run: 'apply' });
    mac.onWindowClose();
    expect(mac.stopsRunIfLeft()).toBe(false);
    const reload = new LeavePrompt(false);
    reload.pageLossesChanged({ ...nothing, run: 'apply' });
    expect(reload.stopsRunIfLeft()).toBe(false);
  });
});
