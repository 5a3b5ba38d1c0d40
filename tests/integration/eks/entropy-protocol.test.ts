// Entropy and the Protocol setting (explore round 4, finding 7): RNG Retrieve exists from KMIP 1.2, so
// at Protocol 1.0 or 1.1 a server's offer of it cannot be used. Test warns with the fix, and Apply and
// `entropy` report the source as unavailable (exit 0), as for a server without RNG Retrieve.
// PyKMIP 0.10 has no RNG Retrieve (KMIP-NOTES), so the key server here is a relay to the run's PyKMIP
// that lists RNG Retrieve in Query answers and answers it itself; every other request reaches PyKMIP.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect as tlsConnect, createServer as createTlsServer, type Server, type TLSSocket } from 'node:tls';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import type { ApplyResult } from '../../../common/ipc';
import { ExitCode } from '../../../main/cli/exit-codes';
import { fetchEntropy, type EntropyReport } from '../../../main/eks';
import { ItemType, Operation, ResultStatus, Tag, decodeTtlv, encodeTtlv, type TtlvItem } from '../../../main/kmip';
import { answerTo, child } from '../../support/fault-proxy';
import { describeWithServices, requireServices } from '../../support/services';
import { dataFolder, eksOptions, runCli } from './eks-fixtures';

/** A Query answer with RNG Retrieve added after the operations the server listed. */
function withRngRetrieve(response: TtlvItem): TtlvItem {
  const rng: TtlvItem = { tag: Tag.Operation, type: ItemType.Enumeration, value: Operation.RNGRetrieve };
  const mapChildren = (item: TtlvItem, map: (value: TtlvItem[]) => TtlvItem[]): TtlvItem =>
    item.type === ItemType.Structure ? { ...item, value: map(item.value) } : item;
  return mapChildren(response, (parts) =>
    parts.map((batchItem) =>
      batchItem.tag !== Tag.BatchItem
        ? batchItem
        : mapChildren(batchItem, (fields) =>
            fields.map((payload) =>
              payload.tag !== Tag.ResponsePayload
                ? payload
                : mapChildren(payload, (items) => {
                    const last = items.map((i) => i.tag).lastIndexOf(Tag.Operation);
                    return [...items.slice(0, last + 1), rng, ...items.slice(last + 1)];
                  }),
            ),
          ),
    ),
  );
}

/** The answer of a server that honours RNG Retrieve: `Data Length` random bytes. */
function rngRetrieveAnswer(request: TtlvItem): TtlvItem {
  const length = child(child(child(request, Tag.BatchItem), Tag.RequestPayload), Tag.DataLength);
  if (length?.type !== ItemType.Integer) throw new Error('RNG Retrieve request without Data Length');
  return answerTo(request, [
    { tag: Tag.ResultStatus, type: ItemType.Enumeration, value: ResultStatus.Success },
    { tag: Tag.ResponsePayload, type: ItemType.Structure, value: [{ tag: Tag.Data, type: ItemType.ByteString, value: randomBytes(length.value) }] },
  ]);
}

/** Whole TTLV messages (8-byte header + length) out of a byte stream, handed to `onMessage` in order. */
function messages(socket: TLSSocket, onMessage: (message: Buffer) => void): void {
  let pending = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= 8 && pending.length >= 8 + pending.readUInt32BE(4)) {
      const total = 8 + pending.readUInt32BE(4);
      onMessage(pending.subarray(0, total));
      pending = pending.subarray(total);
    }
  });
}

interface RngServer {
  port: number;
  /** RNG Retrieve requests answered */
  rngRetrieves: number;
  stop(): Promise<void>;
}

/** A TLS server presenting the run's server certificate: PyKMIP with RNG Retrieve (see the top). */
async function startRngServer(): Promise<RngServer> {
  const { host, port, pki } = requireServices();
  const sockets = new Set<TLSSocket>();
  const state = { port: 0, rngRetrieves: 0 };
  const server: Server = createTlsServer({ cert: readFileSync(pki.serverCert), key: readFileSync(pki.serverKey), minVersion: 'TLSv1.2' }, (client) => {
    const upstream = tlsConnect({ host, port, ca: readFileSync(pki.caCert), cert: readFileSync(pki.clientCert), key: readFileSync(pki.clientKey) });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        client.destroy();
        upstream.destroy();
        sockets.delete(socket);
      });
    }
    // Requests are answered in order: one relayed to PyKMIP waits for PyKMIP's answer.
    const answers: Array<(answer: Buffer) => void> = [];
    messages(upstream, (answer) => answers.shift()?.(answer));
    let previous = Promise.resolve();
    messages(client, (message) => {
      previous = previous.then(async () => {
        const request = decodeTtlv(message);
        const operation = child(child(request, Tag.BatchItem), Tag.Operation)?.value;
        if (operation === Operation.RNGRetrieve) {
          state.rngRetrieves += 1;
          client.write(encodeTtlv(rngRetrieveAnswer(request)));
          return;
        }
        const answer = await new Promise<Buffer>((resolve) => {
          answers.push(resolve);
          upstream.write(message);
        });
        client.write(operation === Operation.Query ? encodeTtlv(withRngRetrieve(decodeTtlv(answer))) : answer);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.port = (server.address() as { port: number }).port;
  return Object.assign(state, {
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  });
}

describeWithServices('entropy when the key server offers RNG Retrieve, by Protocol', () => {
  let server: RngServer;
  let folder: Awaited<ReturnType<typeof dataFolder>>;
  const cli = (...args: string[]) => runCli([...args, '--data-dir', folder.dir]);

  async function configure(protocol: string): Promise<void> {
    const { pki } = requireServices();
    for (const args of [
      ['serverName', 'rng'],
      ['hostName', '127.0.0.1'],
      ['port', String(server.port)],
      ['protocol', protocol],
      ['clientCert', '--file', pki.clientCert],
      ['clientKey', '--file', pki.clientKey, '--format', 'pem'],
      ['caCert', '--file', pki.caCert],
    ]) {
      const run = await cli('settings', 'set', ...args);
      expect(run.code, run.stderr).toBe(ExitCode.Ok);
    }
  }

  beforeAll(async () => {
    server = await startRngServer();
  });
  afterAll(async () => {
    await server.stop();
  });
  beforeEach(async () => {
    folder = await dataFolder();
    server.rngRetrieves = 0;
  });
  afterEach(async () => {
    await folder.remove();
  });

  it('at Protocol 1.1: Test warns that RNG Retrieve needs KMIP 1.2, and Apply and entropy report the source unavailable (exit 0)', async () => {
    await configure('1.1');

    const test = await cli('test');
    expect(test.code, test.stderr).toBe(ExitCode.Ok);
    expect(test.stderr).toMatch(/\[warn\] Required operations \(.+\): Register, Activate, Locate, Get offered; RNG/);
    expect(test.stderr).toContain(
      'RNG Retrieve is offered but needs KMIP 1.2, and Protocol is 1.1, so no entropy is fetched: entropy source: unavailable at KMIP 1.1\n' +
        '       fix: Set Protocol to 1.2 or later, or to auto, to fetch entropy from the key server',
    );

    const apply = await cli('apply', '--json');
    expect(apply.code, apply.stderr).toBe(ExitCode.Ok);
    expect((JSON.parse(apply.stdout) as ApplyResult).entropy).toBe('unavailable');
    expect(apply.stderr).toMatch(/\[warn\] Entropy seed \(.+\): entropy source: unavailable at KMIP 1\.1 \(RNG Retrieve is offered but needs KMIP 1\.2, and Protocol is 1\.1\)/);

    const entropy = await cli('entropy', '--json');
    expect(entropy.code, entropy.stdout).toBe(ExitCode.Ok);
    const report = JSON.parse(entropy.stdout) as EntropyReport;
    expect(report).toMatchObject({ status: 'unavailable', bytes: 0 });
    expect(report.code).toBeUndefined();
    expect(report.detail).toBe(
      'entropy source: unavailable at KMIP 1.1 (RNG Retrieve is offered but needs KMIP 1.2, and Protocol is 1.1). ' +
        'Set Protocol to 1.2 or later, or to auto, to fetch entropy from the key server; until then keys come from the OS random generator alone.',
    );
    expect(server.rngRetrieves).toBe(0);
  });

  it('at Protocol 1.2 the same server gives 48 bytes at Test, Apply and entropy', async () => {
    await configure('1.2');
    const test = await cli('test');
    expect(test.code, test.stderr).toBe(ExitCode.Ok);
    expect(test.stderr).toMatch(/\[ ok \] Required operations \(.+\): Register, Activate, Locate, Get and RNG Retrieve offered/);

    const apply = await cli('apply', '--json');
    expect(apply.code, apply.stderr).toBe(ExitCode.Ok);
    expect((JSON.parse(apply.stdout) as ApplyResult).entropy).toBe('mixed');

    const entropy = await cli('entropy', '--json');
    expect(entropy.code, entropy.stdout).toBe(ExitCode.Ok);
    expect(JSON.parse(entropy.stdout)).toMatchObject({ status: 'mixed', bytes: 48 });
    expect(server.rngRetrieves).toBe(2);
  });

  it('entropy at start at Protocol 1.0 reports unavailable, and under auto (KMIP 2.0 here) mixes the bytes', async () => {
    const options = (protocol: '1.0' | 'auto') => eksOptions({ host: '127.0.0.1', port: server.port, protocol });
    expect(await fetchEntropy({ connection: options('1.0'), disabled: false })).toMatchObject({
      status: 'unavailable',
      detail: expect.stringMatching(/^entropy source: unavailable at KMIP 1\.0 \(RNG Retrieve is offered but needs KMIP 1\.2, and Protocol is 1\.0\)/),
    });
    expect(await fetchEntropy({ connection: options('auto'), disabled: false })).toMatchObject({ status: 'mixed', bytes: 48 });
    expect(server.rngRetrieves).toBe(1);
  });

  it('the real PyKMIP at Protocol 1.1 does not list RNG Retrieve: unavailable on this server', async () => {
    const report = await fetchEntropy({ connection: eksOptions({ protocol: '1.1' }), disabled: false });
    expect(report).toMatchObject({ status: 'unavailable', bytes: 0 });
    expect(report.detail).toContain('entropy source: unavailable on this server (Query does not list RNG Retrieve)');
  });
});
