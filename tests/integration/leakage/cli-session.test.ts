// Secret leakage through the CLI (issue 6 point 4): a full session with `node bin/kmip-console.cjs`
// — every secret field saved from its documented environment variable, Test, Apply, store secrets
// (from the environment and from piped stdin), backup, lost local unlock, Recover. No secret value
// may appear in the data folder, the backup, the CLI's stdout/stderr, or any process's argv (polled
// while each command runs).
import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { KmipClient } from '../../../main/kmip';
import { KeychainSecretStore } from '../../../main/secrets';
import { ObjectStore, keychainUnlockKeys, storeFilePath } from '../../../main/store';
import { LeakScanner, type Finding, type Secret } from '../../support/leak-scan';
import { credentialFiles, randomSecret, type SlotId } from '../../support/leak-session';
import { REPO_ROOT, describeWithServices, requireServices } from '../../support/services';
import { eksOptions } from '../eks/eks-fixtures';

const CLI = path.join(REPO_ROOT, 'bin/kmip-console.cjs');
const FILE_PASSWORD_ENV: Record<SlotId, string> = {
  clientCert: 'KMIP_CONSOLE_CLIENT_CERT_PASSWORD',
  clientKey: 'KMIP_CONSOLE_CLIENT_KEY_PASSWORD',
  caCert: 'KMIP_CONSOLE_CA_CERT_PASSWORD',
  serverCert: 'KMIP_CONSOLE_SERVER_CERT_PASSWORD',
  serverKey: 'KMIP_CONSOLE_SERVER_KEY_PASSWORD',
};

interface CliRun {
  args: string[];
  code: number | null;
  stdout: string;
  stderr: string;
}

let work: string;
let dataDir: string;
let backupDir: string;
const runs: CliRun[] = [];
const argvFindings: Finding[] = [];

/** Runs the CLI; while it runs, polls every process's argv for the secrets known so far. */
async function cli(args: string[], options: { env?: Record<string, string>; stdin?: string; scanner: LeakScanner }): Promise<CliRun> {
  const child = spawn(process.execPath, [CLI, ...args, '--data-dir', dataDir], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(options.stdin ?? '');
  let running = true;
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const poll = (async () => {
    while (running) {
      argvFindings.push(...(await options.scanner.scanProcessArgs()));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  const code = await exited;
  running = false;
  await poll;
  const result = { args, code, stdout, stderr };
  runs.push(result);
  return result;
}

function expectSuccess(run: CliRun): void {
  expect({ args: run.args.join(' '), code: run.code, stderr: run.code === 0 ? '' : run.stderr }).toEqual({
    args: run.args.join(' '),
    code: 0,
    stderr: '',
  });
}

describeWithServices('secret leakage through the CLI', () => {
  beforeAll(async () => {
    work = await mkdtemp(path.join(requireServices().stateDir, 'leak-cli-'));
    dataDir = path.join(work, 'data');
    backupDir = path.join(work, 'backup');
    await mkdir(dataDir);
    await mkdir(backupDir);
    // The CLI runs from its bundle: rebuild it from the sources under test (what `npm ci` does).
    await promisify(execFile)(process.execPath, [path.join(REPO_ROOT, 'scripts/build-node.mjs')], { cwd: REPO_ROOT });
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('a full CLI session leaves no secret in files, output or argv', async () => {
    const services = requireServices();
    const fixtures = await credentialFiles(work, services.pki);
    const envValue = randomSecret('store-value-from-env');
    const stdinValue = randomSecret('store-value-from-stdin');
    const secrets: Secret[] = [...fixtures.secrets, envValue, stdinValue];
    const scanner = new LeakScanner(secrets);

    for (const [field, value] of [
      ['serverName', 'leak-cli'],
      ['hostName', services.host],
      ['port', String(services.port)],
      ['username', 'leak-user'],
    ]) {
      expectSuccess(await cli(['settings', 'set', field as string, value as string], { scanner }));
    }
    expectSuccess(await cli(['settings', 'set', 'password'], { scanner, env: { KMIP_CONSOLE_PASSWORD: fixtures.kmipPassword.value.toString() } }));
    for (const file of fixtures.files) {
      expectSuccess(
        await cli(['settings', 'set', file.slot, '--file', file.path, '--format', file.format], {
          scanner,
          env: { [FILE_PASSWORD_ENV[file.slot]]: file.password.value.toString() },
        }),
      );
    }
    expectSuccess(await cli(['settings', 'show'], { scanner }));
    expectSuccess(await cli(['test'], { scanner }));
    expectSuccess(await cli(['apply', '--json'], { scanner }));
    expectSuccess(await cli(['store', 'add', 'from-env'], { scanner, env: { KMIP_CONSOLE_SECRET_VALUE: envValue.value.toString() } }));
    expectSuccess(await cli(['store', 'add', 'from-stdin'], { scanner, stdin: stdinValue.value.toString() }));
    expectSuccess(await cli(['store', 'generate', 'generated'], { scanner }));
    expectSuccess(await cli(['store', 'list'], { scanner }));
    expectSuccess(await cli(['store', 'backup', path.join(backupDir, 'backup.kcs')], { scanner }));

    // Lose the local unlock (same keychain: the CLI runs on this test's D-Bus session), then recover.
    const unlockKeys = keychainUnlockKeys(new KeychainSecretStore());
    const { header } = await ObjectStore.open(storeFilePath(dataDir), unlockKeys);
    const lostUnlock = await unlockKeys.load(header.storeId);
    if (lostUnlock) secrets.push({ label: 'old-local-unlock-key', value: Buffer.from(lostUnlock) });
    await unlockKeys.remove(header.storeId);
    expectSuccess(await cli(['recover'], { scanner }));
    expectSuccess(await cli(['status'], { scanner }));

    // Key material created during the session.
    const newUnlock = await unlockKeys.load(header.storeId);
    if (newUnlock) secrets.push({ label: 'local-unlock-key', value: Buffer.from(newUnlock) });
    const store = await ObjectStore.open(storeFilePath(dataDir), unlockKeys);
    secrets.push({ label: 'generated-store-key', value: Buffer.from(store.get('generated').value) });
    expect(store.get('from-stdin').value.equals(stdinValue.value)).toBe(true);
    const adminKeyName = store.header.adminKey?.name;
    if (!adminKeyName) throw new Error('the store records no Admin Key after apply');
    const direct = await KmipClient.connect(eksOptions());
    try {
      const [adminKeyId] = (await direct.locate({ name: adminKeyName })).uniqueIdentifiers;
      if (!adminKeyId) throw new Error(`Admin Key ${adminKeyName} not found on the server`);
      secrets.push({ label: 'admin-key', value: Buffer.from((await direct.get(adminKeyId)).keyBytes) });
    } finally {
      await direct.close();
    }

    const full = new LeakScanner(secrets);
    const findings: Finding[] = [
      ...argvFindings,
      ...(await full.scanDir(dataDir)),
      ...(await full.scanDir(backupDir)),
      ...runs.flatMap((run) => [
        ...full.scan(`stdout of ${run.args.join(' ')}`, run.stdout),
        ...full.scan(`stderr of ${run.args.join(' ')}`, run.stderr),
      ]),
      ...(await full.scanProcessArgs()),
    ];
    expect(findings).toEqual([]);
    expect(runs.length).toBeGreaterThan(15);
    // About twenty CLI processes, each starting Node and the keychain: generous on a loaded machine.
  }, 240_000);
});
