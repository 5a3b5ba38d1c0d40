// Test (the 'eks:test' IPC channel, real handlers) sends the KMIP password stored in the keychain only
// to the saved Host Name and Port, trusted as saved (explore report 6, finding 2). Two fake KMIP
// servers on loopback record every request they receive: the saved one (certificate from the CA
// loaded in CA Trusted Cert) and an impostor (self-signed) that the operator types in, unsaved,
// with Verify off.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { StepReport, TestReport } from '../../../common/ipc';
import { Operation } from '../../../main/kmip';
import { encodeTtlv, ItemType, Tag, type TtlvItem } from '../../../main/kmip/ttlv';
import { scratchDir } from '../../support/scratch-dirs';
import { vector } from '../kmip/messages-fixtures';
import { generatePki, startKmipServer, type FakeServer, type RequestHandler, type TestPki } from '../../support/transport-fixtures';
import { MemorySecretStore } from '../settings/memory-secret-store';
import { windowIpc, type WindowIpc } from './window-ipc';

const STORED_PASSWORD = 'STORED-KMIP-PASSWORD-42';
const TYPED_PASSWORD = 'TYPED-FOR-THIS-TEST-7';

/** The operation of a request's first batch item. */
function operationOf(request: TtlvItem): number | undefined {
  const item = request.type === ItemType.Structure ? request.value.find((child) => child.tag === Tag.BatchItem) : undefined;
  const operation = item?.type === ItemType.Structure ? item.value.find((child) => child.tag === Tag.Operation) : undefined;
  return operation?.type === ItemType.Enumeration ? operation.value : undefined;
}

/** PyKMIP 0.10's answers to Discover Versions and Query (Register, Activate, Locate, Get offered). */
const PYKMIP_ANSWERS = new Map<number, Buffer>([
  [Operation.DiscoverVersions, encodeTtlv(vector('pykmip010-discover-versions-response'))],
  [Operation.Query, encodeTtlv(vector('pykmip010-query-response'))],
]);

const answerLikePyKmip: RequestHandler = (request, connection) => {
  const answer = PYKMIP_ANSWERS.get(operationOf(request) ?? -1);
  if (answer) connection.socket.write(answer);
  else connection.answer(request);
};

/** Everything the server received, as bytes on the wire. */
function received(server: FakeServer): Buffer {
  return Buffer.concat(server.requests.map((request) => encodeTtlv(request)));
}

function step(report: TestReport, id: string): StepReport {
  return report.steps.find((s) => s.id === id)!;
}

let pki: TestPki;
let savedServer: FakeServer;
let impostor: FakeServer;
let ipc: WindowIpc;

async function test(values: Record<string, unknown>, password: unknown): Promise<TestReport> {
  const result = await ipc('eks:test', { runId: `t${Math.random()}`, values, password });
  expect(result).toMatchObject({ ok: true });
  if (!result.ok) throw new Error('unreachable: checked above');
  return result.value as TestReport;
}

beforeAll(async () => {
  pki = generatePki();
  savedServer = await startKmipServer(pki, answerLikePyKmip);
  impostor = await startKmipServer(pki, answerLikePyKmip, { cert: pki.otherCert, key: pki.otherKey });
}, 60_000);

afterAll(async () => {
  await savedServer.close();
  await impostor.close();
});

beforeEach(async () => {
  savedServer.requests.length = 0;
  impostor.requests.length = 0;
  const dataDir = scratchDir('kmip-test-password-');
  const secrets = new MemorySecretStore();
  const caFile = path.join(scratchDir('kmip-test-password-files-'), 'ca.pem');
  writeFileSync(caFile, pki.ca);
  ipc = windowIpc(dataDir, secrets, { pickFile: async () => caFile });
  const saved: [string, unknown][] = [
    ['serverName', 'Saved EKS'],
    ['hostName', '127.0.0.1'],
    ['port', savedServer.port],
    ['verify', true],
    ['timeout', 5],
    ['username', 'admin'],
    ['password', STORED_PASSWORD],
  ];
  for (const [id, value] of saved) expect(await ipc('settings:saveField', { id, value })).toMatchObject({ ok: true });
  expect(await ipc('settings:loadFile', { slot: 'caCert', format: 'pem' })).toMatchObject({ ok: true, value: { canceled: false } });
});

describe('Test with the stored KMIP password', () => {
  it('sends it to the saved server, also when the drafts are the saved values as typed (control: the recorder sees it)', async () => {
    const report = await test({ hostName: ' 127.0.0.1 ', port: String(savedServer.port), verify: true, ciphers: '' }, { kind: 'stored' });
    expect(report.ok).toBe(true);
    expect(step(report, 'credentials')).toMatchObject({ status: 'pass', detail: expect.stringContaining('Username "admin" accepted') });
    expect(received(savedServer).includes(STORED_PASSWORD)).toBe(true);
  });

  it('does not send it to a host and port typed but not saved, with Verify off; the credentials step says why and what to do', async () => {
    const report = await test({ hostName: 'localhost', port: String(impostor.port), verify: false }, { kind: 'stored' });
    expect(impostor.requests.length).toBeGreaterThan(0); // the Test did reach the impostor: everything but the password is diagnosed
    expect(received(impostor).includes(STORED_PASSWORD)).toBe(false);
    expect(received(impostor).includes('admin')).toBe(true);
    expect(step(report, 'tls').status).toBe('warn');
    expect(step(report, 'credentials')).toEqual(
      expect.objectContaining({
        status: 'warn',
        detail: expect.stringMatching(/^Password not sent: Host Name, Port and Verify on screen are not saved, and the stored password is sent only to the saved Host Name and Port/),
        fix: 'Save Host Name, Port and Verify to test with the stored password, or type the password in Password (Advanced › Credentials) for this Test.',
      }),
    );
    expect(JSON.stringify(report)).not.toContain(STORED_PASSWORD);
  });

  it('does not send it when only Verify or only Ciphers differ from the saved ones', async () => {
    const verifyOff = await test({ verify: false }, { kind: 'stored' });
    expect(step(verifyOff, 'credentials').detail).toMatch(/^Password not sent: Verify on screen is not saved/);
    const ciphers = await test({ ciphers: 'ECDHE+AESGCM' }, { kind: 'stored' });
    expect(step(ciphers, 'credentials').detail).toMatch(/^Password not sent: Ciphers on screen is not saved/);
    expect(received(savedServer).includes(STORED_PASSWORD)).toBe(false);
  });

  it('says why in the credentials step when an earlier step fails', async () => {
    const unreachable = await test({ hostName: 'localhost', port: String(impostor.port), verify: true }, { kind: 'stored' });
    expect(step(unreachable, 'tls').status).toBe('fail');
    expect(step(unreachable, 'credentials')).toMatchObject({ status: 'skipped', detail: expect.stringMatching(/^Password not sent: Host Name and Port on screen are not saved.*type the password/) });
  });

  it('sends a password typed for this Test to the host on screen, and no password when told none', async () => {
    const typed = await test({ hostName: 'localhost', port: String(impostor.port), verify: false }, { kind: 'new', value: TYPED_PASSWORD });
    expect(step(typed, 'credentials').status).toBe('pass');
    expect(received(impostor).includes(TYPED_PASSWORD)).toBe(true);
    const none = await test({}, { kind: 'none' });
    expect(step(none, 'credentials').status).toBe('pass');
    expect(received(savedServer).includes(STORED_PASSWORD)).toBe(false);
    expect(received(impostor).includes(STORED_PASSWORD)).toBe(false);
  });
});
