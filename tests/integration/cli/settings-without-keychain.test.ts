// `settings set SLOT --file` with no OS keychain (the real adapter, no D-Bus session bus): a public
// certificate holds no secret and loads; a private key is sealed under a keychain-held key, so it
// cannot load, and says why (exit 5).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ExitCode } from '../../../main/cli/exit-codes';
import { describeWithServices, requireServices } from '../../support/services';
import { dataFolder, spawnCli } from '../eks/eks-fixtures';

describeWithServices('settings set of certificate files without the OS keychain', () => {
  let folder: Awaited<ReturnType<typeof dataFolder>>;
  beforeEach(async () => {
    folder = await dataFolder();
  });
  afterEach(async () => {
    await folder.remove();
  });

  async function setWithoutKeychain(slot: string, file: string): Promise<{ code: number | null; stderr: string }> {
    const child = spawnCli(['settings', 'set', slot, '--file', file, '--data-dir', folder.dir], {
      DBUS_SESSION_BUS_ADDRESS: `unix:path=${path.join(folder.dir, 'no-bus')}`,
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    return { code, stderr };
  }

  it('loads the CA and client certificates, copied as they are, and refuses the private key with exit 5', async () => {
    const { pki } = requireServices();
    for (const [slot, file] of [['caCert', pki.caCert], ['clientCert', pki.clientCert]] as const) {
      const run = await setWithoutKeychain(slot, file);
      expect(run.code, run.stderr).toBe(ExitCode.Ok);
    }
    const copies = readdirSync(path.join(folder.dir, 'files')).map((name) => readFileSync(path.join(folder.dir, 'files', name)));
    expect(copies).toEqual(expect.arrayContaining([readFileSync(pki.caCert), readFileSync(pki.clientCert)]));

    const key = await setWithoutKeychain('clientKey', pki.clientKey);
    expect(key.code).toBe(ExitCode.SecretUnavailable);
    expect(key.stderr).toMatch(/The OS keychain is not available/);
  });
});
