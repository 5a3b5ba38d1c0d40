// `kmip-console settings show|set|clear|export|import`: the settings dialog on the command line.
// Every value goes through the same validation as the dialog's Save (SettingsRepository.saveField).
import path from 'node:path';
import { z } from 'zod';
import { FILE_SLOT_IDS, FileFormatSchema, MAX_CREDENTIAL_FILE_BYTES, type FileFormat, type FileSlotId } from '../../../common/pki-types';
import {
  changedFieldIds,
  FIELD_IDS,
  FIELDS,
  SCALAR_FIELD_IDS,
  validateField,
  verifyOffWarning,
  type FieldId,
  type ScalarFieldId,
  type Settings,
} from '../../../common/settings';
import { AppError } from '../../../common/app-error';
import type { SettingsView } from '../../../common/ipc';
import { characterCount, hasInvisibleOrControlChars } from '../../../common/text';
import { isSameFile, readUserFile, writeUserFile } from '../../files';
import { parseCredentialFile } from '../../pki';
import { assertCipherListUsable, settingsFilePath, storedFileSummary, type SettingsImport } from '../../settings';
import { SECRET_SOURCES, UsageError } from '../args';
import { closestToNamePart, quotableName } from '../closest-name';
import type { CliContext } from '../context';
import { defineCommand } from '../define-command';
import { CliError } from '../errors';
import { refuseExistingTarget } from '../output-file';
import { ExitCode } from '../exit-codes';
import { writeOutput, writeResult } from '../output';
import { readAtMost } from '../read-at-most';
import { FILE_PASSWORD_ENV, PASSWORD_ENV } from '../secret-env';
import { finishingWrite } from '../interrupt';
import { readSecret } from '../secret-input';
import { isStandardStream, refuseStandardOutputWithJson, refuseStandardStream } from '../standard-stream-path';

const usage = `Usage:
  kmip-console settings show [--data-dir DIR] [--json]
  kmip-console settings set FIELD VALUE                 save one field into the pending settings
  kmip-console settings set password                    KMIP password: from ${PASSWORD_ENV} or a hidden prompt
  kmip-console settings set SLOT --file PATH [--format pem|p12]
                                                        load a certificate/key file (password from
                                                        KMIP_CONSOLE_<SLOT>_PASSWORD or a hidden prompt)
  kmip-console settings clear FIELD|SLOT                clear a secret or a loaded file
  kmip-console settings export FILE|- [--force]         pending settings and loaded files, without secrets;
                                                        "-" writes them to standard output (not with --json)
  kmip-console settings import FILE|-                   into the pending settings: every field and file, or
                                                        none; "-" reads them from standard input (passwords
                                                        then come from the environment only)

FIELD: ${SCALAR_FIELD_IDS.join(', ')}
SLOT:  ${FILE_SLOT_IDS.join(', ')}
Saved values are pending until \`kmip-console apply\`. ${SECRET_SOURCES}`;

function isScalarField(id: string): id is ScalarFieldId {
  return (SCALAR_FIELD_IDS as readonly string[]).includes(id);
}

function isFileSlot(id: string): id is FileSlotId {
  return (FILE_SLOT_IDS as readonly string[]).includes(id);
}

function fieldArgument(id: string | undefined): FieldId {
  if (id && (isScalarField(id) || isFileSlot(id))) return id;
  const closest = id ? closestToNamePart(id, FIELD_IDS) : undefined;
  throw new UsageError(`unknown field '${quotableName(id ?? '')}'${closest ? ` (did you mean ${closest}?)` : ''}; fields: ${FIELD_IDS.join(', ')}`);
}

function describeValue(settings: Settings | null, id: FieldId): string {
  if (!settings) return '—';
  if (isFileSlot(id)) {
    const file = settings[id];
    return file ? `${file.details.sourceName} (${storedFileSummary(file)})` : 'not loaded';
  }
  if (id === 'password') return settings.password.stored ? 'stored in keychain' : 'not set';
  const value = settings[id];
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return value === '' ? '(empty)' : String(value);
}

/** `text` padded to `width` characters (code points: a value may hold any character). */
function padToWidth(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - characterCount(text)));
}

/** One line per field: label, pending value, and the applied value where it differs. */
function settingsTable(view: SettingsView): string {
  const changed = new Set(changedFieldIds(view.pending, view.applied));
  const rows = FIELD_IDS.map((id) => ({
    label: FIELDS[id].label,
    pending: describeValue(view.pending, id),
    state: view.applied === null ? '|  —' : changed.has(id) ? `|  ${describeValue(view.applied, id)}` : '(applied)',
  }));
  const header = { label: 'field', pending: 'pending', state: '|  applied' };
  const labelWidth = Math.max(...[header, ...rows].map((row) => characterCount(row.label)));
  const pendingWidth = Math.max(...[header, ...rows].map((row) => characterCount(row.pending)));
  return [header, ...rows].map((row) => `${padToWidth(row.label, labelWidth)}  ${padToWidth(row.pending, pendingWidth)}  ${row.state}`).join('\n');
}

/**
 * Runs `attempt` with the password of `fileName` from the slot's environment variable, if set,
 * and when the file turns out to need one that was not given, once more with one asked for at the prompt.
 */
async function withFilePassword<T>(
  context: CliContext,
  slot: FileSlotId,
  fileName: string,
  attempt: (password: string | undefined) => T | Promise<T>,
): Promise<{ value: T; password: string | undefined }> {
  const given = context.io.env[FILE_PASSWORD_ENV[slot]] || undefined;
  try {
    return { value: await attempt(given), password: given };
  } catch (error) {
    if (!(error instanceof AppError && error.code === 'PKI_PASSWORD_REQUIRED' && given === undefined)) throw error;
  }
  const typed = await readSecret(context.io, { env: FILE_PASSWORD_ENV[slot], prompt: `Password of ${fileName} (${FIELDS[slot].label})` });
  return { value: await attempt(typed), password: typed };
}

/** Loads `filePath` into `slot`, with the password from the environment, else one asked for when the file needs it. */
async function loadFileSlot(context: CliContext, slot: FileSlotId, filePath: string, format: FileFormat): Promise<string> {
  const load = (password: string | undefined) =>
    finishingWrite(context.io, 'settings set', () => context.settings.loadFile({ slot, format, path: path.resolve(filePath), ...(password ? { password } : {}) }));
  const { value: loaded } = await withFilePassword(context, slot, path.basename(filePath), load);
  for (const warning of loaded.details.warnings) context.io.stderr.write(`warning: ${warning.message}\n`);
  return describeValue(loaded.settings.pending, slot);
}

function formatOf(filePath: string, option: string | undefined): FileFormat {
  if (option !== undefined) {
    const parsed = FileFormatSchema.safeParse(option);
    if (!parsed.success) throw new UsageError(`--format must be pem or p12, got '${option}'`);
    return parsed.data;
  }
  return /\.(p12|pfx)$/i.test(filePath) ? 'p12' : 'pem';
}

// ---------------------------------------------------------------------------------------------
// export / import

const ExportSchema = z.strictObject({
  format: z.literal('kmip-console-settings'),
  version: z.literal(1),
  fields: z.partialRecord(z.enum(SCALAR_FIELD_IDS).exclude(['password']), z.union([z.string(), z.number(), z.boolean()])),
  /** the KMIP password was set: import asks for it (it is never exported) */
  passwordSet: z.boolean(),
  files: z.partialRecord(
    z.enum(FILE_SLOT_IDS),
    z.strictObject({ format: FileFormatSchema, sourceName: z.string().min(1), content: z.base64() }),
  ),
});
type SettingsExport = z.infer<typeof ExportSchema>;

/** Every file slot holding a file of the largest size, in base64, plus 1 MiB for the fields and layout. */
const MAX_EXPORT_BYTES = FILE_SLOT_IDS.length * Math.ceil(MAX_CREDENTIAL_FILE_BYTES / 3) * 4 + 1024 * 1024;

/** Exports the pending settings to `target`, or to standard output when null. */
async function exportSettings(context: CliContext, target: string | null, force: boolean): Promise<string[]> {
  const pending = await context.settings.loadPending();
  const notes: string[] = [];
  const doc: SettingsExport = { format: 'kmip-console-settings', version: 1, fields: {}, passwordSet: pending.password.stored, files: {} };
  for (const id of SCALAR_FIELD_IDS) if (id !== 'password') doc.fields[id] = pending[id];
  const readStoredFile = context.settings.storedFileReader();
  for (const slot of FILE_SLOT_IDS) {
    const file = pending[slot];
    if (!file) continue;
    if (file.details.privateKey && !file.details.encrypted) {
      // A plaintext private key never goes into another file.
      notes.push(`${FIELDS[slot].label} not exported: it holds an unencrypted private key; load it on the other machine with \`settings set ${slot} --file\`.`);
      continue;
    }
    const bytes = await readStoredFile(file, slot);
    doc.files[slot] = { format: file.format, sourceName: file.details.sourceName, content: bytes.toString('base64') };
  }
  const bytes = Buffer.from(`${JSON.stringify(doc, null, 2)}\n`);
  if (target === null) {
    await writeOutput(context.io, bytes);
    return notes;
  }
  await refuseExistingTarget(target, force, 'settings export');
  if (await isSameFile(target, settingsFilePath(context.dataDir))) {
    throw new CliError('BAD_INPUT', `${target} is the settings file of the data folder itself: an export written there would replace the settings. Choose another file.`);
  }
  await writeUserFile(target, bytes, 'settings export');
  return notes;
}

/** File passwords for an import, by slot: from the environment, or typed at the prompt while checking. */
type ImportPasswords = Partial<Record<FileSlotId, string>>;

/**
 * Checks every field and file of an export before anything is saved, and lists all problems at once
 * (the import itself stops at the first). A file that needs a password not in the environment has
 * it asked for here, and checked, before anything is saved.
 */
async function assertImportable(context: CliContext, source: string, doc: SettingsExport): Promise<ImportPasswords> {
  const passwords: ImportPasswords = {};
  const problems: string[] = [];
  for (const id of SCALAR_FIELD_IDS) {
    const value = id === 'password' ? undefined : doc.fields[id];
    if (value === undefined) continue;
    const check = validateField(id, value);
    if (!check.ok) problems.push(check.message);
    else if (id === 'ciphers') await assertCipherListUsable(check.value as string).catch((error: Error) => problems.push(error.message));
  }
  for (const slot of FILE_SLOT_IDS) {
    const file = doc.files[slot];
    if (!file) continue;
    // The name is shown later (settings show, the dialog).
    const name = path.basename(file.sourceName);
    if (name === '' || name === '.' || name === '..' || hasInvisibleOrControlChars(name)) {
      problems.push(`${FIELDS[slot].label}: the file's name is not a plain file name (empty, "." or "..", or with control characters); export the settings again.`);
      continue;
    }
    const bytes = Buffer.from(file.content, 'base64');
    const parse = (password: string | undefined) =>
      parseCredentialFile({ slot, format: file.format, bytes, sourceName: name, ...(password ? { password } : {}) });
    try {
      const { password } = await withFilePassword(context, slot, name, parse);
      if (password !== undefined) passwords[slot] = password;
    } catch (error) {
      if (!(error instanceof AppError) || error instanceof CliError) throw error;
      problems.push(`${FIELDS[slot].label}: ${error.message}`);
    } finally {
      bytes.fill(0);
    }
  }
  if (problems.length > 0) {
    const listed = problems.length === 1 ? problems[0] : problems.map((problem, index) => `(${index + 1}) ${problem}`).join(' ');
    throw new CliError('BAD_INPUT', `${source} cannot be imported, nothing was changed: ${listed}`);
  }
  return passwords;
}

/**
 * The KMIP password for an import of settings that had one, asked before anything is saved: a
 * prompt cancelled (Ctrl-C) cancels the import. Where it cannot be asked at all (no terminal, no
 * environment variable), the rest is imported without it and the note says so.
 */
async function kmipPasswordToImport(context: CliContext): Promise<{ password?: string; note?: string }> {
  const canAsk = Boolean(context.io.env[PASSWORD_ENV]) || (context.io.stdin as NodeJS.ReadStream).isTTY === true;
  try {
    return { password: await readSecret(context.io, { env: PASSWORD_ENV, prompt: 'KMIP password' }) };
  } catch (error) {
    if (!(error instanceof CliError) || canAsk) throw error;
    return { note: `Password not imported (${error.message}) — set it with \`kmip-console settings set password\`.` };
  }
}

/** Why a text is no settings export: the JSON error, or the first thing the export's schema refuses, and where. */
function exportProblem(error: unknown): string {
  if (error instanceof z.ZodError) {
    const issue = error.issues[0];
    const where = issue && issue.path.length > 0 ? `at ${issue.path.join('.')}` : 'the document';
    return issue ? `${where}: ${issue.message}` : 'its content';
  }
  // Not V8's message: it quotes the first bytes of the file, which may be a secret file chosen by mistake.
  return 'not JSON';
}

/** The export at `sourcePath`, or on standard input when null; `source` names it in messages. */
async function readExport(context: CliContext, sourcePath: string | null, source: string): Promise<Buffer> {
  if (sourcePath !== null) return readUserFile(sourcePath, { what: 'kmip-console settings export', maxBytes: MAX_EXPORT_BYTES });
  const bytes = await readAtMost(context.io.stdin, MAX_EXPORT_BYTES);
  if (bytes === 'too-large') throw new CliError('BAD_INPUT', `${source} holds more than ${MAX_EXPORT_BYTES} bytes, more than a settings export can: nothing was changed.`);
  return bytes;
}

async function importSettings(context: CliContext, sourcePath: string | null, source: string): Promise<{ notes: string[]; warnings: string[] }> {
  const bytes = await readExport(context, sourcePath, source);
  let doc: SettingsExport;
  try {
    doc = ExportSchema.parse(JSON.parse(bytes.toString('utf8')));
  } catch (error) {
    throw new CliError(
      'BAD_INPUT',
      `${source} is not a kmip-console settings export (${exportProblem(error)}): nothing was changed. Import a file written by \`kmip-console settings export\`.`,
    );
  }
  const passwords = await assertImportable(context, source, doc);
  const notes: string[] = [];
  const input: SettingsImport = { fields: { ...doc.fields }, files: {} };
  if (doc.passwordSet) {
    const { password, note } = await kmipPasswordToImport(context);
    if (password !== undefined) input.fields.password = password;
    if (note) notes.push(note);
  }
  for (const slot of FILE_SLOT_IDS) {
    const file = doc.files[slot];
    if (!file) continue;
    const password = passwords[slot];
    input.files[slot] = { format: file.format, bytes: Buffer.from(file.content, 'base64'), sourceName: path.basename(file.sourceName), ...(password ? { password } : {}) };
  }
  try {
    // One save of everything: a failure part-way leaves the pending settings as they were (see importSettings).
    const imported = await finishingWrite(context.io, 'settings import', () => context.settings.importSettings(input));
    const warnings = FILE_SLOT_IDS.flatMap((slot) => imported.files[slot]?.warnings.map((warning) => warning.message) ?? []);
    return { notes, warnings };
  } catch (error) {
    // Checks that need the pending settings (a key against the certificate loaded) come last, still before any write.
    if (error instanceof AppError && (error.code === 'VALIDATION_FAILED' || error.code.startsWith('PKI_'))) {
      throw new CliError('BAD_INPUT', `${source} cannot be imported, nothing was changed: ${error.message}`);
    }
    throw error;
  } finally {
    for (const file of Object.values(input.files)) file.bytes.fill(0);
  }
}

export const settingsCommand = defineCommand({
  name: 'settings',
  summary: 'show, set, clear, export or import the KMIP settings (pending until apply)',
  usage,
  subcommands: {
    show: {
      async run(context) {
        const view = await context.settings.view();
        // Not the revisions the window sends back (settingsRevision, fieldRevisions): internals, no settings.
        const { pending, applied, dataDir } = view;
        writeResult(context.io, context.json, { pending, applied, dataDir }, settingsTable(view));
        return ExitCode.Ok;
      },
    },
    set: {
      options: { file: { type: 'string' }, format: { type: 'string' } },
      positionals: { names: ['FIELD|SLOT', 'VALUE'], min: 1 },
      async run(context, args) {
        const [id, value] = args.positionals;
        const field = fieldArgument(id);
        let shown: string;
        if (isFileSlot(field)) {
          const filePath = args.strings.file;
          if (!filePath || value !== undefined) throw new UsageError(`${field} is a file: use \`settings set ${field} --file PATH [--format pem|p12]\``);
          refuseStandardStream(filePath, `--file of ${field}`, 'a certificate or key is loaded from a file, and its name is kept; give the path of the file');
          shown = await loadFileSlot(context, field, filePath, formatOf(filePath, args.strings.format));
        } else if (field === 'password') {
          if (value !== undefined) throw new UsageError(`refusing a password on the command line. ${SECRET_SOURCES}`, false);
          const password = await readSecret(context.io, { env: PASSWORD_ENV, prompt: 'KMIP password' });
          const view = await finishingWrite(context.io, 'settings set', () => context.settings.saveField('password', password));
          shown = describeValue(view.pending, 'password');
        } else {
          if (value === undefined) throw new UsageError(`missing the value of ${field}`);
          if (args.strings.file) throw new UsageError(`--file is only for ${FILE_SLOT_IDS.join(', ')}`);
          const view = await finishingWrite(context.io, 'settings set', () => context.settings.saveField(field, value));
          shown = describeValue(view.pending, field);
          const verifyOff = field === 'verify' ? verifyOffWarning(view.pending) : null;
          if (verifyOff) context.io.stderr.write(`warning: ${verifyOff.message}\n`);
        }
        writeResult(context.io, context.json, { field, saved: true }, `${FIELDS[field].label} saved (pending until apply): ${shown}`);
        return ExitCode.Ok;
      },
    },
    clear: {
      positionals: { names: ['FIELD|SLOT'], min: 1 },
      async run(context, args) {
        const field = fieldArgument(args.positionals[0]);
        if (field !== 'password' && !isFileSlot(field)) throw new UsageError(`only the password and files can be cleared; set ${field} to another value instead`);
        await finishingWrite(context.io, 'settings clear', () => (isFileSlot(field) ? context.settings.clearFile(field) : context.settings.clearSecret('password')));
        writeResult(context.io, context.json, { field, cleared: true }, `${FIELDS[field].label} cleared (pending until apply).`);
        return ExitCode.Ok;
      },
    },
    export: {
      options: { force: { type: 'boolean' } },
      positionals: { names: ['FILE'], min: 1 },
      async run(context, args) {
        const toStdout = isStandardStream(args.positionals[0]!);
        if (toStdout) refuseStandardOutputWithJson(context.json, 'the export');
        const target = toStdout ? null : path.resolve(args.positionals[0]!);
        const notes = await exportSettings(context, target, args.flags.force === true);
        for (const note of notes) context.io.stderr.write(`note: ${note}\n`);
        // Standard output holds the export itself: the summary goes with the notes.
        if (target === null) context.io.stderr.write('Pending settings exported to standard output (no secrets).\n');
        else writeResult(context.io, context.json, { file: target, notes }, `Pending settings exported to ${target} (no secrets).`);
        return ExitCode.Ok;
      },
    },
    import: {
      positionals: { names: ['FILE'], min: 1 },
      async run(context, args) {
        const sourcePath = isStandardStream(args.positionals[0]!) ? null : path.resolve(args.positionals[0]!);
        const source = sourcePath ?? 'standard input';
        const { notes, warnings } = await importSettings(context, sourcePath, source);
        for (const warning of warnings) context.io.stderr.write(`warning: ${warning}\n`);
        for (const note of notes) context.io.stderr.write(`note: ${note}\n`);
        writeResult(context.io, context.json, { file: sourcePath ?? '-', notes }, `Settings imported from ${source} into the pending settings; run \`kmip-console apply\` (or recover) to use them.`);
        return ExitCode.Ok;
      },
    },
  },
});
