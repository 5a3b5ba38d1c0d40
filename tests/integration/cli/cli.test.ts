// The operator CLI end to end, in this process, against the real PyKMIP server and OS keychain.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ExitCode } from '../../../main/cli/exit-codes';
import { readStoreHeader, storeFilePath } from '../../../main/store';
import { FaultProxy } from '../../support/fault-proxy';
import { describeWithServices, requireServices } from '../../support/services';
import { closedPort, dataFolder, keychainKeys, runCli, spawnCli } from '../eks/eks-fixtures';

describeWithServices('kmip-console CLI against PyKMIP', () => {
  let folder: Awaited<ReturnType<typeof dataFolder>>;
  let transfer: Awaited<ReturnType<typeof dataFolder>>;
  const cli = (args: string[], options?: Parameters<typeof runCli>[1]) => runCli([...args, '--data-dir', folder.dir], options);
  const json = <T>(text: string): T => JSON.parse(text) as T;

  async function configure(identity: 'client' | 'client2' = 'client', dir = folder.dir): Promise<void> {
    const { host, port, pki } = requireServices();
    const set = (...args: string[]) => runCli(['settings', 'set', ...args, '--data-dir', dir]);
    for (const args of [
      ['serverName', 'pykmip'],
      ['hostName', host],
      ['port', String(port)],
      ['clientCert', '--file', identity === 'client' ? pki.clientCert : pki.client2Cert],
      ['clientKey', '--file', identity === 'client' ? pki.clientKey : pki.client2Key, '--format', 'pem'],
      ['caCert', '--file', pki.caCert],
    ]) {
      const run = await set(...args);
      expect(run.code, run.stderr).toBe(ExitCode.Ok);
    }
  }

  beforeEach(async () => {
    folder = await dataFolder();
    transfer = await dataFolder();
  });
  afterEach(async () => {
    await folder.remove();
    await transfer.remove();
  });

  it('runs test, apply, store, backup, loss of the local unlock, status and recover, with JSON results', async () => {
    await configure();
    const test = await cli(['test', '--json']);
    expect(test.code, test.stderr).toBe(ExitCode.Ok);
    expect(json<{ ok: boolean; negotiatedVersion: string }>(test.stdout)).toMatchObject({ ok: true, negotiatedVersion: '2.0' });
    expect(test.stderr).toContain('[warn] Required operations');

    const apply = await cli(['apply', '--json']);
    expect(apply.code, apply.stderr).toBe(ExitCode.Ok);
    const applied = json<{ adminKeyGeneration: number; storeId: string }>(apply.stdout);
    expect(applied.adminKeyGeneration).toBe(1);
    expect(apply.stderr).toContain('[ ok ] Register the new Admin Key');

    expect((await cli(['store', 'add', 'db'], { input: 'pa55word\n' })).code).toBe(ExitCode.Ok);
    expect((await cli(['store', 'generate', 'k', '--bytes', '16'])).code).toBe(ExitCode.Ok);
    const list = json<{ name: string; size: number }[]>((await cli(['store', 'list', '--json'])).stdout);
    expect(list.map((o) => [o.name, o.size])).toEqual([
      ['db', 8],
      ['k', 16],
    ]);
    expect((await cli(['store', 'get', 'db'])).stdout).toBe('pa55word');

    const backup = path.join(transfer.dir, 'b.backup');
    expect((await cli(['store', 'backup', backup])).code).toBe(ExitCode.Ok);
    expect((await cli(['store', 'backup', backup])).code).toBe(ExitCode.Failed); // exists, no --force

    await keychainKeys().remove(applied.storeId);
    const status = await cli(['status', '--json']);
    expect(status.code).toBe(ExitCode.Failed);
    expect(json<{ store: { state: string } }>(status.stdout).store.state).toBe('needs-recovery');
    expect((await cli(['store', 'list'])).code).toBe(ExitCode.Failed);

    const recover = await cli(['recover']);
    expect(recover.code, recover.stderr).toBe(ExitCode.Ok);
    expect((await cli(['store', 'get', 'db', '--hex'])).stdout).toBe(`${Buffer.from('pa55word').toString('hex')}\n`);
    expect((await cli(['status'])).code).toBe(ExitCode.Ok);
  });

  it('restores a backup into a fresh data folder with imported settings (a new machine)', async () => {
    await configure();
    expect((await cli(['apply'])).code).toBe(ExitCode.Ok);
    await cli(['store', 'add', 'api-token'], { env: { KMIP_CONSOLE_SECRET_VALUE: 't0ken' } });
    const backup = path.join(transfer.dir, 'b.backup');
    const exported = path.join(transfer.dir, 'settings.json');
    await cli(['store', 'backup', backup]);
    expect((await cli(['settings', 'export', exported])).code).toBe(ExitCode.Ok);

    const machine = await dataFolder();
    try {
      const on = (args: string[]) => runCli([...args, '--data-dir', machine.dir]);
      // A wrong path is named, and a device is refused without being read (it never ends).
      const wrongPath = await on(['settings', 'import', `${exported}.old`]);
      expect([wrongPath.code, wrongPath.stderr]).toEqual([ExitCode.DataError, expect.stringContaining(`File "${exported}.old" does not exist`)]);
      const device = await on(['settings', 'import', '/dev/zero']);
      expect([device.code, device.stderr]).toEqual([ExitCode.DataError, expect.stringContaining('"/dev/zero" is not a regular file')]);
      expect((await on(['settings', 'import', exported])).code).toBe(ExitCode.Ok);
      // Never applied here: what was imported shows as pending, measured from the defaults.
      const imported = json<{ settings: { applied: boolean; pendingChanges: string[] } }>((await on(['status', '--json'])).stdout);
      expect(imported.settings).toMatchObject({ applied: false, pendingChanges: expect.arrayContaining(['Server Name', 'Host Name', 'Port']) });
      expect(imported.settings.pendingChanges).not.toContain('Nbio');
      // the unencrypted client key is not exported: load it on the new machine
      expect((await on(['settings', 'set', 'clientKey', '--file', requireServices().pki.clientKey])).code).toBe(ExitCode.Ok);
      const restore = await on(['store', 'restore', backup, '--json']);
      expect(restore.code, restore.stderr).toBe(ExitCode.Ok);
      expect(json<{ objectCount: number }>(restore.stdout).objectCount).toBe(1);
      expect((await on(['store', 'get', 'api-token'])).stdout).toBe('t0ken');
      const status = json<{ settings: { applied: boolean } }>((await on(['status', '--json'])).stdout);
      expect(status.settings.applied).toBe(true);
    } finally {
      await machine.remove();
    }
  });

  it('restores a backup over the store it was made of only with --replace', async () => {
    await configure();
    expect((await cli(['apply'])).code).toBe(ExitCode.Ok);
    const backup = path.join(transfer.dir, 'b.backup');
    await cli(['store', 'backup', backup]);
    await cli(['store', 'add', 'after-backup'], { env: { KMIP_CONSOLE_SECRET_VALUE: 'newer' } });
    const moved = `${backup}.moved`;
    const missing = await cli(['store', 'restore', moved, '--replace', '--json']);
    expect(missing.code).toBe(ExitCode.DataError);
    expect(json<{ error: { code: string } }>(missing.stdout).error.code).toBe('BACKUP_NOT_FOUND');
    expect(missing.stderr).toContain(`The backup file ${moved} is not there`);
    const refused = await cli(['store', 'restore', backup, '--json']);
    expect(refused.code).toBe(ExitCode.Failed);
    expect(json<{ error: { code: string } }>(refused.stdout).error.code).toBe('BACKUP_REPLACES_STORE');
    expect(refused.stderr).toMatch(/already holds store .* \(1 objects\)/);
    expect(refused.stderr).toContain('To confirm on the command line, run it again with --replace.');
    expect((await cli(['store', 'get', 'after-backup'])).stdout).toBe('newer');
    const replaced = await cli(['store', 'restore', backup, '--replace']);
    expect(replaced.code, replaced.stderr).toBe(ExitCode.Ok);
    expect((await cli(['store', 'list', '--json'])).stdout).not.toContain('after-backup');
  });

  it('says the Admin Key is not on the server for another client identity, and changes nothing', async () => {
    await configure();
    await cli(['apply']);
    const backup = path.join(transfer.dir, 'b.backup');
    await cli(['store', 'backup', backup]);
    const machine = await dataFolder();
    try {
      await configure('client2', machine.dir);
      const restore = await runCli(['store', 'restore', backup, '--json', '--data-dir', machine.dir]);
      expect(restore.code).toBe(ExitCode.Failed);
      expect(json<{ error: { code: string } }>(restore.stdout).error.code).toBe('ADMIN_KEY_NOT_FOUND');
      expect(restore.stderr).toMatch(/No Admin Key of this backup on this key server/);
      await expect(readStoreHeader(storeFilePath(machine.dir))).rejects.toMatchObject({ code: 'STORE_NOT_FOUND' });
    } finally {
      await machine.remove();
    }
  });

  it('exits 4 when the key server is unreachable, 3 for invalid settings', async () => {
    await configure();
    expect((await cli(['settings', 'set', 'port', '70000'])).code).toBe(ExitCode.DataError);
    await cli(['settings', 'set', 'port', String(await closedPort())]);
    const test = await cli(['test']);
    expect(test.code).toBe(ExitCode.Unreachable);
    expect(test.stderr).toContain('[FAIL] TCP connect');
    expect((await cli(['apply'])).code).toBe(ExitCode.Unreachable);

    const empty = await dataFolder();
    try {
      const apply = await runCli(['apply', '--data-dir', empty.dir]);
      expect(apply.code).toBe(ExitCode.DataError);
      expect(apply.stderr).toMatch(/Server Name is required/);
    } finally {
      await empty.remove();
    }
  });

  it('test, apply and entropy all exit 4 when the key server takes the connection but never answers in time', async () => {
    const { host, port } = requireServices();
    const proxy = await FaultProxy.start({ upstreamHost: host, upstreamPort: port });
    try {
      await configure();
      await cli(['settings', 'set', 'port', String(proxy.port)]);
      await cli(['settings', 'set', 'timeout', '2']);
      const applied = await cli(['apply']);
      expect(applied.code, applied.stderr).toBe(ExitCode.Ok);
      expect((await cli(['settings', 'set', 'description', 'pending change'])).code).toBe(ExitCode.Ok);
      // TLS completes; the KMIP answers never come through.
      proxy.setMode('stall');
      const test = await cli(['test']);
      expect(test.stderr).toMatch(/\[FAIL\] KMIP version/);
      expect(test.code).toBe(ExitCode.Unreachable);
      expect((await cli(['apply'])).code).toBe(ExitCode.Unreachable);
      const entropy = await cli(['entropy', '--json']);
      expect(json<{ status: string; code: string }>(entropy.stdout)).toMatchObject({ status: 'failed', code: 'REQUEST_TIMEOUT' });
      expect(entropy.code).toBe(ExitCode.Unreachable);
    } finally {
      await proxy.stop();
    }
  });

  it('store add does not start a new store in place of the store of applied settings that went missing', async () => {
    await configure();
    expect((await cli(['apply'])).code).toBe(ExitCode.Ok);
    await rm(storeFilePath(folder.dir));
    // Not "none yet", as on a new machine: the store of applied settings is gone.
    const status = await cli(['status']);
    expect(status.code).toBe(ExitCode.Failed);
    expect(status.stdout).toMatch(/store: MISSING: .*store\.kcs is missing, although settings were applied\. If the store was lost or moved, restore it from a backup file/);
    const add = await cli(['store', 'add', 'after-loss'], { env: { KMIP_CONSOLE_SECRET_VALUE: 'value' } });
    expect(add.code).toBe(ExitCode.DataError);
    expect(add.stderr).toMatch(/store\.kcs is missing, although settings were applied: nothing was added\. If the store was lost or moved, restore it from a backup file/);
    // Reading it says the same, not "nothing has been stored or applied yet".
    const list = await cli(['store', 'list']);
    expect(list.code).toBe(ExitCode.DataError);
    expect(list.stderr).toMatch(/store\.kcs is missing, although settings were applied: there is nothing to list\. If the store was lost or moved, restore it from a backup file/);
    await expect(readStoreHeader(storeFilePath(folder.dir))).rejects.toMatchObject({ code: 'STORE_NOT_FOUND' });
  });

  it('takes the KMIP password from the environment or refuses, never from argv', async () => {
    const refused = await cli(['settings', 'set', 'password', 'hunter2']);
    expect(refused.code).toBe(ExitCode.Usage);
    expect(refused.stderr).toContain('KMIP_CONSOLE_PASSWORD');
    expect(refused.stderr).not.toContain('hunter2');
    const option = await cli(['test', '--password=hunter2']);
    expect(option.code).toBe(ExitCode.Usage);
    expect(option.stderr).not.toContain('hunter2');

    const noSource = await cli(['settings', 'set', 'password'], { env: { KMIP_CONSOLE_PASSWORD: '' } });
    expect(noSource.code).toBe(ExitCode.SecretUnavailable);
    const fromEnv = await cli(['settings', 'set', 'password'], { env: { KMIP_CONSOLE_PASSWORD: 'hunter2' } });
    expect(fromEnv.code, fromEnv.stderr).toBe(ExitCode.Ok);
    const shown = await cli(['settings', 'show', '--json']);
    expect(shown.stdout).not.toContain('hunter2');
    expect(json<{ pending: { password: { stored: boolean } } }>(shown.stdout).pending.password.stored).toBe(true);
  });

  it('settings show marks a new password as pending after Apply, though it reads "stored in keychain" like the applied one', async () => {
    await configure();
    expect((await cli(['settings', 'set', 'username', 'operator'])).code).toBe(ExitCode.Ok);
    expect((await cli(['settings', 'set', 'password'], { env: { KMIP_CONSOLE_PASSWORD: 'first-password' } })).code).toBe(ExitCode.Ok);
    const applied = await cli(['apply']);
    expect(applied.code, applied.stderr).toBe(ExitCode.Ok);
    const passwordLine = async () => (await cli(['settings', 'show'])).stdout.split('\n').find((line) => line.startsWith('Password'));
    expect(await passwordLine()).toMatch(/stored in keychain +\(applied\)$/);
    expect((await cli(['settings', 'set', 'password'], { env: { KMIP_CONSOLE_PASSWORD: 'second-password' } })).code).toBe(ExitCode.Ok);
    expect(await passwordLine()).toMatch(/stored in keychain +\| {2}stored in keychain$/);
    expect((await cli(['status'])).stdout).toContain('pending changes: Password');
  });

  it('status shows the settings without the OS keychain, says the store cannot be checked, and exits 5', async () => {
    await configure();
    expect((await cli(['apply'])).code).toBe(ExitCode.Ok);
    expect((await cli(['settings', 'set', 'description', 'pending'])).code).toBe(ExitCode.Ok);
    expect((await cli(['store', 'add', 'db'], { env: { KMIP_CONSOLE_SECRET_VALUE: 'value' } })).code).toBe(ExitCode.Ok);
    const child = spawnCli(['status', '--data-dir', folder.dir], { DBUS_SESSION_BUS_ADDRESS: `unix:path=${path.join(folder.dir, 'no-bus')}` });
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(ExitCode.SecretUnavailable);
    expect(stdout).toMatch(/applied settings: pykmip at /);
    expect(stdout).toContain('pending changes: Description');
    expect(stdout).toMatch(/store: cannot tell whether it unlocks: The OS keychain is not available/);
  });

  it('reports entropy as unavailable on PyKMIP', async () => {
    await configure();
    await cli(['apply']);
    const entropy = await cli(['entropy', '--json']);
    expect(entropy.code).toBe(ExitCode.Ok);
    expect(json<{ status: string; detail: string }>(entropy.stdout)).toMatchObject({ status: 'unavailable' });
  });
});
