// A Key load may choose another certificate from the Cert file loaded before it (withLeafForKey): TLS then
// presents that one, so Cert is pending again, in main (CLI status, Apply) and in the window (chips, Revert).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { changedFieldIds } from '../../../common/settings';
import { SettingsRepository } from '../../../main/settings';
import { fileSlotState, pendingFields } from '../../../renderer/src/state/field-state';
import { scratchDir } from '../../support/scratch-dirs';
import { generatePki } from '../../support/transport-fixtures';
import { MemorySecretStore } from './memory-secret-store';

it('after a Key load picks another certificate from the applied Cert file, Cert is pending, not applied', async () => {
  const pki = generatePki();
  const dir = scratchDir('leaf-choice-');
  writeFileSync(path.join(dir, 'chain.pem'), Buffer.concat([pki.serverCert, pki.clientCert]));
  writeFileSync(path.join(dir, 'client.key'), pki.clientKey);
  writeFileSync(path.join(dir, 'server.key'), pki.serverKey);
  const repo = new SettingsRepository({ dataDir: scratchDir('leaf-choice-data-'), secrets: new MemorySecretStore() });
  await repo.saveField('serverName', 'lab');
  await repo.saveField('hostName', '127.0.0.1');
  await repo.loadFile({ slot: 'clientCert', format: 'pem', path: path.join(dir, 'chain.pem') });
  await repo.loadFile({ slot: 'clientKey', format: 'pem', path: path.join(dir, 'server.key') });
  await repo.commitApply(await repo.loadPending());

  const { settings: view } = await repo.loadFile({ slot: 'clientKey', format: 'pem', path: path.join(dir, 'client.key') });
  expect(view.applied?.clientCert?.details.certificates[0]?.subject).toMatch(/localhost/);
  expect(view.pending.clientCert?.details.certificates[0]?.subject).toMatch(/transport-client/);
  expect(view.pending.clientCert?.fileName).toBe(view.applied?.clientCert?.fileName);
  expect(changedFieldIds(view.pending, view.applied)).toEqual(['clientCert', 'clientKey']);
  expect(pendingFields(view.pending, view.applied)).toEqual(changedFieldIds(view.pending, view.applied));
  expect(fileSlotState('clientCert', view.pending, view.applied)).toBe('pending');
}, 120_000);

it('a Key cleared a day after Apply, the Cert leaf unchanged: Cert stays applied (its record is not read again for the day)', async () => {
  const pki = generatePki(); // valid for 2 days: a day later, its "expires in N days" warning reads otherwise
  const dir = scratchDir('leaf-same-');
  writeFileSync(path.join(dir, 'chain.pem'), Buffer.concat([pki.serverCert, pki.clientCert]));
  writeFileSync(path.join(dir, 'server.key'), pki.serverKey);
  let offset = 0;
  const repo = new SettingsRepository({ dataDir: scratchDir('leaf-same-data-'), secrets: new MemorySecretStore(), now: () => new Date(Date.now() + offset) });
  await repo.saveField('serverName', 'lab');
  await repo.saveField('hostName', '127.0.0.1');
  await repo.loadFile({ slot: 'clientCert', format: 'pem', path: path.join(dir, 'chain.pem') });
  await repo.loadFile({ slot: 'clientKey', format: 'pem', path: path.join(dir, 'server.key') });
  await repo.commitApply(await repo.loadPending());
  offset = 24 * 3600 * 1000 + 60_000;

  const view = await repo.clearFile('clientKey');
  expect(view.pending.clientCert?.details.certificates[0]?.subject).toBe(view.applied?.clientCert?.details.certificates[0]?.subject);
  expect(changedFieldIds(view.pending, view.applied)).toEqual(['clientKey']);
  expect(fileSlotState('clientCert', view.pending, view.applied)).toBe('applied');
}, 120_000);
