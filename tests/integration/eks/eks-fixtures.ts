// Shared set-up of the eks integration tests: connection options for the run's PyKMIP server and
// test PKI, a fresh data folder, and the real OS keychain (gnome-keyring of with-services.sh).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect } from 'vitest';
import type { StepReport } from '../../../common/ipc';
import { main } from '../../../main/cli';
import { EksError, type ApplyRequest } from '../../../main/eks';
import type { KmipClientOptions } from '../../../main/kmip';
import { KeychainSecretStore } from '../../../main/secrets';
import { SettingsRepository } from '../../../main/settings';
import { keychainUnlockKeys, type LocalUnlockKeys } from '../../../main/store';
import { runInMemory, type InMemoryRun } from '../../support/cli-in-memory';
import { pykmipClientOptions, requireServices, type ClientIdentity } from '../../support/services';

export type { ClientIdentity };

/** Options for the run's PyKMIP server, with Auto-Reconnect on as the dialog's default. */
export function eksOptions(overrides: Partial<KmipClientOptions> & { identity?: ClientIdentity } = {}): KmipClientOptions {
  const { identity = 'client', ...rest } = overrides;
  return pykmipClientOptions({ autoReconnect: true, ...rest }, identity);
}

/** Each step's status by step id. */
export function statuses(steps: StepReport[]): Record<string, string> {
  return Object.fromEntries(steps.map((s) => [s.id, s.status]));
}

/** The EksError `promise` rejects with (the test fails if it resolves, or rejects with anything else). */
export async function failure(promise: Promise<unknown>): Promise<EksError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EksError);
  return error as EksError;
}

/**
 * For the tests of a describe block: a fresh data folder per test (`dir`), and Apply requests into it
 * against the run's PyKMIP server whose settings commits are counted (`committed`).
 */
export function useApplyWorkspace(): { readonly dir: string; readonly committed: number; unlockKeys: LocalUnlockKeys; applyRequest(overrides?: Partial<ApplyRequest>): ApplyRequest } {
  let folder: Awaited<ReturnType<typeof dataFolder>> | undefined;
  let committed = 0;
  const unlockKeys = keychainKeys();
  beforeEach(async () => {
    folder = await dataFolder();
    committed = 0;
  });
  afterEach(async () => {
    await folder?.remove();
  });
  const dir = (): string => {
    if (!folder) throw new Error('useApplyWorkspace: used outside a test');
    return folder.dir;
  };
  return {
    get dir() {
      return dir();
    },
    get committed() {
      return committed;
    },
    unlockKeys,
    applyRequest: (overrides = {}) => ({
      dataDir: dir(),
      unlockKeys,
      connection: eksOptions(),
      disableEntropySeed: false,
      commitSettings: async () => {
        committed += 1;
      },
      ...overrides,
    }),
  };
}

/** A scratch data folder; remove() deletes it. */
export async function dataFolder(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'kmip-eks-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export function keychainKeys(): LocalUnlockKeys {
  return keychainUnlockKeys(new KeychainSecretStore());
}

/** A loopback port nothing listens on (bound once by the OS, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  const port = await listenOnLoopback(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function listenOnLoopback(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** A TCP relay to the run's PyKMIP server that counts the connections made through it, and those still open. */
export async function startCountingRelay(): Promise<{ port: number; accepted(): number; open(): number; close(): void }> {
  let accepted = 0;
  let open = 0;
  const server = createServer((inbound) => {
    accepted += 1;
    open += 1;
    const outbound = connect(requireServices().port, requireServices().host);
    inbound.pipe(outbound).pipe(inbound);
    const end = (): void => {
      inbound.destroy();
      outbound.destroy();
    };
    inbound.on('error', end).on('close', end);
    outbound.on('error', end).on('close', end);
    inbound.once('close', () => (open -= 1));
  });
  const port = await listenOnLoopback(server);
  return { port, accepted: () => accepted, open: () => open, close: () => server.close() };
}

/** Pending settings for the run's PyKMIP server and test PKI, saved as the dialog (or `settings set`) would. */
export async function configurePendingSettings(dataDir: string, identity: ClientIdentity = 'client'): Promise<SettingsRepository> {
  const services = requireServices();
  const { pki } = services;
  const settings = new SettingsRepository({ dataDir, secrets: new KeychainSecretStore() });
  await settings.saveField('serverName', 'pykmip');
  await settings.saveField('hostName', services.host);
  await settings.saveField('port', services.port);
  await settings.loadFile({ slot: 'clientCert', format: 'pem', path: identity === 'client' ? pki.clientCert : pki.client2Cert });
  await settings.loadFile({ slot: 'clientKey', format: 'pem', path: identity === 'client' ? pki.clientKey : pki.client2Key });
  await settings.loadFile({ slot: 'caCert', format: 'pem', path: pki.caCert });
  return settings;
}

/** Runs `kmip-console <args>` in this process, with `input` on a piped stdin. */
export function runCli(args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<InMemoryRun> {
  return runInMemory((io) => main(args, io), { stdin: options.input, env: { ...process.env, ...options.env } });
}

const CLI_CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'cli-child.ts');

/** Starts `kmip-console <args>` from source in a child process. */
export function spawnCli(args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', CLI_CHILD, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
