// KeychainSecretStore against the real gnome-keyring of scripts/with-services.sh.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KeychainSecretStore, secretAccount } from '../../../main/secrets';
import { inOwnKeyringSession } from '../../support/services';

const underServices = process.env.KMIP_TEST_SERVICES === '1';
const service = `kmip-console-test-${randomBytes(4).toString('hex')}`;
const probe = path.join(import.meta.dirname, 'fixtures', 'keychain-set.ts');
const vanishProbe = path.join(import.meta.dirname, 'fixtures', 'keychain-daemon-vanishes.ts');

function runProbe(env: NodeJS.ProcessEnv, account: string, secret: string): { ok: boolean; code?: string; message?: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', probe, service, account], {
    input: secret,
    env,
    encoding: 'utf8',
    timeout: 30_000,
  });
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout.trim()) as { ok: boolean; code?: string; message?: string };
}

describe.skipIf(!underServices)('KeychainSecretStore (real Secret Service; run via scripts/with-services.sh)', () => {
  const store = new KeychainSecretStore(service);
  const written: string[] = [];
  afterAll(async () => {
    for (const account of written) await store.delete(account);
  });

  it('stores, reads back and deletes a secret in the Secret Service', async () => {
    const account = secretAccount('lab', 'pending', 'password');
    written.push(account);
    const secret = `pw-${randomBytes(8).toString('hex')}`;
    await store.set(account, secret);
    expect(await store.get(account)).toBe(secret);
    // Really in the Secret Service (not an in-process fallback): another client finds it.
    const looked = execFileSync('secret-tool', ['lookup', 'service', service, 'username', account], { encoding: 'utf8' });
    expect(looked).toBe(secret);
    expect(await store.delete(account)).toBe(true);
    expect(await store.get(account)).toBeNull();
    expect(await store.delete(account)).toBe(false);
  });

  it('keeps pending and applied values and several profiles apart', async () => {
    const names = [
      secretAccount('lab', 'pending', 'password'),
      secretAccount('lab', 'applied', 'password'),
      secretAccount('prod', 'pending', 'password'),
      secretAccount('lab', 'pending', 'clientKeyPassword'),
    ];
    written.push(...names);
    for (const [i, account] of names.entries()) await store.set(account, `value-${i}`);
    for (const [i, account] of names.entries()) expect(await store.get(account)).toBe(`value-${i}`);
    await store.set(names[0] ?? '', 'changed');
    expect(await store.get(names[1] ?? '')).toBe('value-1');
  });

  it('stores unicode and long secrets unchanged', async () => {
    const account = secretAccount('lab', 'pending', 'serverKeyPassword');
    written.push(account);
    const secret = `päss-ワード-${'x'.repeat(900)}`;
    await store.set(account, secret);
    expect(await store.get(account)).toBe(secret);
  });

  it('works from a child process on the same session bus', () => {
    const account = secretAccount('child', 'pending', 'password');
    written.push(account);
    expect(runProbe(process.env, account, 'from-child')).toEqual({ ok: true });
  });

  it('fails with SECRET_STORE_UNAVAILABLE, not a silent fallback, when there is no D-Bus session', () => {
    const secret = `never-${randomBytes(8).toString('hex')}`;
    const account = secretAccount('nobus', 'pending', 'password');
    const result = runProbe({ ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/kmip-console-bus' }, account, secret);
    expect(result.ok).toBe(false);
    expect(result.code).toBe('SECRET_STORE_UNAVAILABLE');
    expect(result.message).toMatch(/keychain is not available.*Secret Service/s);
    expect(result.message).not.toContain(secret);
  });

  it('fails with SECRET_STORE_UNAVAILABLE when D-Bus is not configured at all', () => {
    const env = { ...process.env };
    delete env.DBUS_SESSION_BUS_ADDRESS;
    const result = runProbe(env, secretAccount('nobus', 'pending', 'password'), 'x');
    expect(result.code).toBe('SECRET_STORE_UNAVAILABLE');
  });

  it('runs an operation again, once, when the keychain daemon dies while answering it', async () => {
    const { stdout, stderr } = await inOwnKeyringSession([process.execPath, '--import', 'tsx', vanishProbe]);
    expect(JSON.parse(stdout.trim())).toEqual({ set: {}, get: { value: 'after' }, delete: { value: true }, left: null });
    // The daemon was killed under each of the three operations (and started again four times).
    expect(stderr).toMatch(/\(4 starts\)/);
  });

  it('rejects profile names that would break the entry naming scheme', () => {
    expect(() => secretAccount('a/b', 'pending', 'password')).toThrow(/Profile name "a\/b"/);
  });
});
