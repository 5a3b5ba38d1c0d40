// The question asked before the window closes or reloads: what would be lost (fields, forms, by name only,
// never what was typed) and what becomes of a running Test, Apply or Recover. The page reports its losses;
// the words are made here, for the page's own beforeunload reason and for main's native question alike
// (main words it: a page cannot put text of its own into a native dialog).
import { z } from 'zod';
import { FILE_SLOT_IDS, FileSlotIdSchema } from './pki-types';
import { FIELD_IDS, FIELDS, ScalarFieldIdSchema } from './settings';
import type { RunKind } from './ipc';

/**
 * The kinds of run, the source of ipc.ts's RunKind. It stands here, not in ipc.ts, because ipc.ts imports
 * this file's schemas: a value import back from ipc.ts would be a cycle.
 */
export const RunKindSchema = z.enum(['test', 'apply', 'recover']);

/** What leaving the page now would lose, as the page reports it ('app:leaveLosses'). */
export const PageLossesSchema = z
  .object({
    /** the page shows this run as running */
    run: RunKindSchema.nullable(),
    /** fields with an edit not saved yet */
    unsavedFields: z.array(z.union([ScalarFieldIdSchema, FileSlotIdSchema])).max(FIELD_IDS.length),
    /** file slots with a password typed and no file loaded with it yet */
    typedFilePasswords: z.array(FileSlotIdSchema).max(FILE_SLOT_IDS.length),
    /** what is typed in Object store › Add a secret */
    typedSecret: z.enum(['name', 'value', 'name and value']).nullable(),
    /** a name is typed in Object store › Generate an AES key */
    typedKeyName: z.boolean(),
  })
  .strict();
export type PageLosses = z.infer<typeof PageLossesSchema>;

/**
 * How the page goes: the page itself cannot tell ('close-or-reload'); main can. A closed window leaves
 * kmip-console running on macOS ('close'); elsewhere, and when the app quits, its process ends ('quit').
 */
export type Leaving = 'close-or-reload' | 'reload' | 'close' | 'quit';

const runNames: Record<RunKind, string> = { test: 'Test', apply: 'Apply', recover: 'Recover' };

const leadIn: Record<Leaving, string> = {
  'close-or-reload': 'Closing or reloading now',
  reload: 'Reloading now',
  close: 'Closing the window now',
  quit: 'Quitting now',
};

const leaveButton: Record<Exclude<Leaving, 'close-or-reload'>, string> = {
  reload: 'Leave reloads the window now',
  close: 'Leave closes the window now (kmip-console keeps running)',
  quit: 'Leave closes the window and quits kmip-console now',
};

function labels(ids: readonly (keyof typeof FIELDS)[]): string {
  return ids.map((id) => FIELDS[id].label).join(', ');
}

/** The question's reason; null when leaving loses nothing. */
export function leaveMessage(losses: PageLosses, leaving: Leaving): string | null {
  const lost: string[] = [];
  if (losses.unsavedFields.length > 0) lost.push(`unsaved changes to ${labels(losses.unsavedFields)}`);
  if (losses.typedFilePasswords.length > 0) lost.push(`the password typed for ${labels(losses.typedFilePasswords)}, not loaded with a file`);
  if (losses.typedSecret !== null) lost.push(`the ${losses.typedSecret} typed in Object store › Add a secret, not added`);
  if (losses.typedKeyName) lost.push('the name typed in Object store › Generate an AES key, not generated');
  const sentences = lost.length > 0 ? [`${leadIn[leaving]} would lose ${lost.join('; ')}.`] : [];
  if (losses.run !== null) {
    const run = runNames[losses.run];
    // The run belongs to main, not to the page: only the end of main's process stops it.
    sentences.push(
      leaving === 'quit'
        ? `Quitting now stops the running ${run} before it ends: after restarting kmip-console, check the settings and Recovery options before running it again.`
        : `The running ${run} goes on in the background: its result is shown when the window is back.`,
    );
  }
  return sentences.length > 0 ? sentences.join(' ') : null;
}

/** What the question's two answers do, for main's native dialog. */
export function leaveDetail(losses: PageLosses, leaving: Exclude<Leaving, 'close-or-reload'>): string {
  const stay = leaving === 'quit' && losses.run !== null ? `Stay keeps it as it is, and lets the ${runNames[losses.run]} finish.` : 'Stay keeps it as it is.';
  return `${leaveButton[leaving]}; ${stay}`;
}
