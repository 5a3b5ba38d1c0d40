// Apply registers an Admin Key on the key server before it writes the store: a data folder it cannot
// write in would leave one more unused key there for every attempt (explore report s18-x1, F7). It looks
// first, and sends nothing. /sys takes no new file, for root too; no key server is needed: the connection
// below goes nowhere, and the test fails if Apply tries it.
import { expect, it } from 'vitest';
import { runApply, type EksError } from '../../../main/eks';
import type { StepReport } from '../../../common/ipc';
import { MemoryUnlockKeys } from '../store/memory-unlock-keys';

it('refuses to start in a data folder where the store cannot be written, before connecting to the key server', async () => {
  const steps = new Map<string, StepReport>();
  let committed = false;
  const error = (await runApply(
    {
      dataDir: '/sys',
      unlockKeys: new MemoryUnlockKeys(),
      connection: { host: '192.0.2.1', port: 5696, timeoutMs: 1000, verify: true, pipelined: false, autoReconnect: false, protocol: 'auto', tls: {} },
      disableEntropySeed: true,
      commitSettings: async () => {
        committed = true;
      },
    },
    (step) => steps.set(step.id, step),
  ).catch((e: unknown) => e)) as EksError;
  expect(error.code).toBe('STORE_WRITE_FAILED');
  expect(error.message).toMatch(/^Open the object store: Cannot write the store file in \/sys \((EACCES|EROFS|EPERM|ENOENT)\): check that the folder exists and is writable\. Nothing was sent to the key server/);
  expect(steps.get('open-store')?.status).toBe('fail');
  expect(steps.get('connect')?.status).toBe('skipped');
  expect(committed).toBe(false);
});
