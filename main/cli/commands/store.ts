// `kmip-console store list|add|generate|get|delete|backup|restore`: the object store.
import path from 'node:path';
import { OBJECT_VALUE_MAX_BYTES } from '../../../common/object-value';
import { hasInvisibleOrControlChars } from '../../../common/text';
import { fetchEntropy, mixedRandom, openDataFolderStore, STORE_MISSING_FIX } from '../../eks';
import { MAX_GENERATED_KEY_BYTES, ObjectStore, StoreError, changeObjects, storeFilePath, type ObjectInfo } from '../../store';
import { UsageError } from '../args';
import { connectionFor, type CliContext } from '../context';
import { defineCommand } from '../define-command';
import { refuseExistingTarget } from '../output-file';
import { ExitCode } from '../exit-codes';
import { entropyProgress, writeOutput, writeResult } from '../output';
import { SECRET_VALUE_ENV } from '../secret-env';
import { finishingWrite } from '../interrupt';
import { readPipedStdin, readSecret } from '../secret-input';
import { isStandardStream, refuseStandardOutputWithJson } from '../standard-stream-path';
import { RECOVER_OPTIONS, recoverStore } from './recover';

const usage = `Usage:
  kmip-console store list                          the objects (names, kinds, sizes; never values)
  kmip-console store add NAME [--key]              add a secret (a key with --key); the value comes from
                                                   ${SECRET_VALUE_ENV}, standard input (piped), or a hidden prompt
  kmip-console store generate NAME [--bytes N]     add a random key of N bytes (default 32, at most ${MAX_GENERATED_KEY_BYTES}),
                                                   from the generator seeded with key-server entropy
  kmip-console store get NAME [--hex|--base64]     write the value to standard output; to a terminal, a value
                                                   that is not printable text is refused (exit 2): redirect
                                                   it to a file, or use --hex or --base64
  kmip-console store delete NAME
  kmip-console store backup FILE|- [--force]       a self-contained backup; opening it needs the key server.
                                                   "-" writes it to standard output (not with --json)
  kmip-console store restore FILE [--replace] [--applied]
                                                   restore a backup file into the data folder (same as
                                                   recover --backup); a file, not "-"
The store is created by the first kmip-console apply (add and generate need it).
Common options: --data-dir DIR, --json. NAME may also be an object id.`;

/**
 * The data folder's store, to read or change; `nothing` says what did not happen without it ("nothing was
 * added"). Apply creates the store, as in the app: an object is only ever kept where the Admin Key on the
 * key server can recover it. A missing store is explained by the settings: before the first Apply there is
 * none yet (or --data-dir names another folder); after one, it went missing, and a new store here would
 * hide the loss.
 */
async function openStore(context: CliContext, nothing: string, random?: (size: number) => Buffer): Promise<ObjectStore> {
  try {
    return await openDataFolderStore(storeFilePath(context.dataDir), context.unlockKeys, random);
  } catch (error) {
    if (!(error instanceof StoreError && error.code === 'STORE_NOT_FOUND')) throw error;
    const storePath = storeFilePath(context.dataDir);
    const message =
      (await context.settings.loadApplied()) === null
        ? `No store yet at ${storePath}: ${nothing}. No settings were applied in ${context.dataDir} either: if the data folder is right, run ` +
          'kmip-console apply first: it creates the store and escrows its Admin Key on the key server, so that what is stored can be recovered.'
        : `${storePath} is missing, although settings were applied: ${nothing}. ${STORE_MISSING_FIX} ` +
          'To start a new, empty store instead, run kmip-console apply.';
    throw new StoreError('STORE_NOT_FOUND', message, storePath, { cause: error });
  }
}

/**
 * Whether `value` shows on a terminal as exactly what it is: UTF-8 text without control characters
 * (tab and line feed aside), which a terminal would take as commands (an escape sequence retitles
 * the window or clears the screen), nor invisible ones, which would hide what the value holds.
 */
function isPrintableText(value: Buffer): boolean {
  let text: string;
  try {
    // ignoreBOM: a byte order mark is kept, and so refused as invisible, not dropped from the check
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(value);
  } catch {
    return false;
  }
  return !hasInvisibleOrControlChars(text.replace(/[\t\n]/g, ''));
}

function describeObject(info: ObjectInfo): string {
  return `${info.name}  ${info.kind}  ${info.size} bytes  created ${info.created}  id ${info.id}`;
}

export const storeCommand = defineCommand({
  name: 'store',
  summary: 'list, add, generate, read, delete, back up and restore the objects of the encrypted store',
  usage,
  subcommands: {
    list: {
      async run(context) {
        const objects = (await openStore(context, 'there is nothing to list')).list();
        writeResult(context.io, context.json, objects, objects.length === 0 ? 'the store is empty' : objects.map(describeObject).join('\n'));
        return ExitCode.Ok;
      },
    },
    add: {
      options: { key: { type: 'boolean' } },
      positionals: { names: ['NAME'], min: 1 },
      async run(context, args) {
        const { io } = context;
        const fromEnv = io.env[SECRET_VALUE_ENV];
        const value = fromEnv
          ? Buffer.from(fromEnv, 'utf8')
          : ((await readPipedStdin(io, OBJECT_VALUE_MAX_BYTES, args.flags.key ? 'binary' : 'text')) ?? Buffer.from(await readSecret(io, { env: SECRET_VALUE_ENV, prompt: `Value of ${args.positionals[0]}` }), 'utf8'));
        const add = (store: ObjectStore) => store.add({ name: args.positionals[0]!, kind: args.flags.key ? 'key' : 'secret', value });
        const info = await finishingWrite(io, 'store add', () => changeObjects(() => openStore(context, 'nothing was added'), add)).finally(() => value.fill(0));
        writeResult(io, context.json, info, `added ${describeObject(info)}`);
        return ExitCode.Ok;
      },
    },
    generate: {
      options: { bytes: { type: 'string' } },
      positionals: { names: ['NAME'], min: 1 },
      async run(context, args) {
        // Digits only: Number() would also take "0x10", "1e1" or "32.0" as a size.
        const size = args.strings.bytes === undefined ? 32 : /^[0-9]+$/.test(args.strings.bytes) ? Number(args.strings.bytes) : NaN;
        if (!Number.isInteger(size) || size < 1 || size > MAX_GENERATED_KEY_BYTES) {
          throw new UsageError(`--bytes must be a whole number from 1 to ${MAX_GENERATED_KEY_BYTES}`);
        }
        // Opened first: a missing store, or a name that is taken, is refused without asking the key server (opening draws no random bytes).
        const open = () => openStore(context, 'nothing was generated', (n) => mixedRandom.bytes(n));
        const store = await open();
        store.newObjectName(args.positionals[0]!);
        // Entropy at start: this process is about to generate key material.
        const applied = await context.settings.loadApplied();
        const connection = applied && !applied.disableEntropySeed ? (await connectionFor(context, 'applied')).connection : null;
        if (connection) entropyProgress(context.io, connection, 'nothing is stored yet');
        const entropy = await fetchEntropy({ connection, disabled: applied?.disableEntropySeed ?? false });
        context.io.stderr.write(`entropy: ${entropy.status}: ${entropy.detail}\n`);
        // The store was read before the key server was asked: made on a fresh read if the file changed meanwhile.
        const info = await finishingWrite(context.io, 'store generate', () => changeObjects(open, (current) => current.generate({ name: args.positionals[0]!, size }), store));
        writeResult(context.io, context.json, { ...info, entropy: entropy.status }, `generated ${describeObject(info)}`);
        return ExitCode.Ok;
      },
    },
    get: {
      options: { hex: { type: 'boolean' }, base64: { type: 'boolean' } },
      positionals: { names: ['NAME'], min: 1 },
      async run(context, args) {
        if (args.flags.hex && args.flags.base64) throw new UsageError('choose one of --hex and --base64');
        if (context.json && (args.flags.hex || args.flags.base64)) {
          throw new UsageError(`--${args.flags.hex ? 'hex' : 'base64'} chooses how the value is printed as text; with --json the value is always base64 in the document: leave out --${args.flags.hex ? 'hex' : 'base64'} or --json`);
        }
        const { info, value } = (await openStore(context, 'there is nothing to read')).get(args.positionals[0]!);
        if (context.json) {
          writeResult(context.io, true, { ...info, value: value.toString('base64') }, '');
        } else if (args.flags.hex || args.flags.base64) {
          context.io.stdout.write(`${value.toString(args.flags.hex ? 'hex' : 'base64')}\n`);
        } else {
          const stdout = context.io.stdout as NodeJS.WriteStream;
          if (stdout.isTTY === true && !isPrintableText(value)) {
            throw new UsageError(
              `the value of "${info.name}" is not printable text, and standard output is a terminal, which would run its control bytes as commands or hide its invisible characters: ` +
                'redirect it to a file (> FILE), or use --hex or --base64.',
              false,
            );
          }
          stdout.write(value);
        }
        return ExitCode.Ok;
      },
    },
    delete: {
      positionals: { names: ['NAME'], min: 1 },
      async run(context, args) {
        const info = await finishingWrite(context.io, 'store delete', () => changeObjects(() => openStore(context, 'nothing was deleted'), (store) => store.delete(args.positionals[0]!)));
        writeResult(context.io, context.json, info, `deleted ${info.name}`);
        return ExitCode.Ok;
      },
    },
    backup: {
      options: { force: { type: 'boolean' } },
      positionals: { names: ['FILE'], min: 1 },
      async run(context, args) {
        const toStdout = isStandardStream(args.positionals[0]!);
        if (toStdout) refuseStandardOutputWithJson(context.json, 'the backup');
        const target = toStdout ? null : path.resolve(args.positionals[0]!);
        if (target !== null) await refuseExistingTarget(target, args.flags.force === true, 'backup file');
        const store = await openStore(context, 'nothing was backed up');
        if (target === null) await writeOutput(context.io, store.backupBytes());
        else await store.exportBackup(target);
        const adminKey = store.header.adminKey!;
        const summary =
          `backup of store ${store.header.storeId} (${store.list().length} objects) written to ${target ?? 'standard output'}; ` +
          `opening it needs Admin Key generation ${adminKey.generation} on ${adminKey.server.host}:${adminKey.server.port}`;
        // Standard output holds the backup itself: the summary goes with the progress.
        if (target === null) context.io.stderr.write(`${summary}\n`);
        else writeResult(context.io, context.json, { file: target, storeId: store.header.storeId, adminKeyGeneration: adminKey.generation, objects: store.list().length }, summary);
        return ExitCode.Ok;
      },
    },
    restore: {
      options: RECOVER_OPTIONS,
      positionals: { names: ['FILE'], min: 1 },
      run: (context, args) => recoverStore('store restore', context, args, args.positionals[0]),
    },
  },
});
