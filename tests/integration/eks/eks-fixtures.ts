// Shared set-up of the eks integration tests: connection options for the run's PyKMIP server and
// test PKI, a fresh data folder, and the real OS keychain (gnome-keyring of with-services.sh).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { main } from '../../../main/cli';
import type { KmipClientOptions } from '../../../main/kmip';
import { KeychainSecretStore } from '../../../main/secrets';
import { SettingsRepository } from '../../../main/settings';
import { keychainUnlockKeys, type LocalUnlockKeys } from '../../../main/store';
import { pykmipClientOptions, requireServices, type ClientIdentity } from '../../support/services';

export type { ClientIdentity };

/** Options for the run's PyKMIP server, with Auto-Reconnect on as the dialog's default. */
export function eksOptions(overrides: Partial<KmipClientOptions> & { identity?: ClientIdentity } = {}): KmipClientOptions {
  const { identity = 'client', ...rest } = overrides;
  return pykmipClientOptions({ autoReconnect: true, ...rest }, identity);
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
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
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

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `kmip-console <args>` in this process, with `input` on a piped stdin. */
export async function runCli(args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  const stdin = new PassThrough();
  stdin.end(options.input ?? '');
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (chunk: Buffer) => out.push(chunk));
  stderr.on('data', (chunk: Buffer) => err.push(chunk));
  const code = await main(args, { stdin, stdout, stderr, env: { ...process.env, ...options.env } });
  return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

const CLI_CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'cli-child.ts');

/** Starts `kmip-console <args>` from source in a child process. */
export function spawnCli(args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', CLI_CHILD, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
