// Fault × action matrix at the KMIP client level (issue 6 point 1): Discover Versions, Query and Get
// through the fault proxy. Every fault ends within the timeout + 1 s with a typed error; with
// Auto-Reconnect an idle close and a drop before the response of an idempotent request are
// recovered transparently, while a non-idempotent Register is never re-sent.
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { KmipClient } from '../../../main/kmip';
import { FaultProxy, type FaultMode } from '../../support/fault-proxy';
import { FAULTS, OutcomeTable, optionsVia, outcomeOf, startKmipFaultProxy, type Outcome } from '../../support/fault-matrix';
import { describeWithServices, requireServices } from '../../support/services';

const TIMEOUT_MS = 2_000;
const IDLE_CLOSE_MS = 300;

/** The typed error each fault must produce when nothing recovers it. */
const EXPECTED: Record<FaultMode, RegExp> = {
  pass: /^ok$/,
  'drop-before-response': /^TransportError CONNECTION_CLOSED$/,
  'drop-mid-response': /^TransportError CONNECTION_CLOSED$/,
  stall: /^TransportError REQUEST_TIMEOUT$/,
  garbage: /^(TransportError MALFORMED_RESPONSE|TtlvError \w+|KmipResponseError KMIP_RESPONSE_INVALID)$/,
  'oversized-length': /^TransportError MESSAGE_TOO_LARGE$/,
  'idle-close': /^TransportError CONNECTION_CLOSED$/,
};

type Action = (client: KmipClient) => Promise<unknown>;

const table = new OutcomeTable();
let proxy: FaultProxy;
let keyId: string;
const clients: KmipClient[] = [];

beforeAll(async () => {
  if (!process.env.KMIP_TEST_SERVICES) return;
  proxy = await startKmipFaultProxy({ idleCloseMs: IDLE_CLOSE_MS });
  // A key to Get, created directly on the server (not through the proxy).
  const services = requireServices();
  const direct = await KmipClient.connect({ ...optionsVia(services, { timeoutMs: 10_000, autoReconnect: false }) });
  try {
    keyId = (await direct.createAesKey({ name: `fault-matrix-${Date.now()}`, length: 256 })).uniqueIdentifier;
  } finally {
    await direct.close();
  }
});

afterEach(async () => {
  proxy?.setMode('pass');
  await Promise.allSettled(clients.splice(0).map((client) => client.close()));
});

afterAll(async () => {
  await proxy?.stop();
  if (process.env.KMIP_TEST_SERVICES) console.log(table.toMarkdown('KMIP client fault matrix (timeout 2000 ms)'));
});

const ACTIONS: Record<string, Action> = {
  Discover: (client) => client.discoverVersions(),
  Query: (client) => client.query(),
  Get: (client) => client.get(keyId),
};

async function connectVia(autoReconnect: boolean): Promise<KmipClient> {
  const client = await KmipClient.connect(optionsVia(proxy, { timeoutMs: TIMEOUT_MS, autoReconnect }));
  clients.push(client);
  return client;
}

/** Puts the proxy in `fault` for an established connection, then runs the action. */
async function runUnderFault(fault: FaultMode, action: Action, autoReconnect: boolean, times?: number): Promise<Outcome> {
  const client = await connectVia(autoReconnect);
  proxy.setMode(fault, { times });
  if (fault === 'idle-close') await new Promise((resolve) => setTimeout(resolve, IDLE_CLOSE_MS + 300));
  return outcomeOf(() => action(client));
}

describeWithServices('KMIP client under faults (Auto-Reconnect = 0)', () => {
  for (const [name, action] of Object.entries(ACTIONS)) {
    it(`${name}: control through the proxy succeeds`, async () => {
      const outcome = await runUnderFault('pass', action, false);
      table.record('pass', name, outcome);
      expect(outcome.summary).toBe('ok');
    });
    for (const fault of FAULTS) {
      it(`${name} × ${fault}: typed error within timeout + 1 s`, async () => {
        const outcome = await runUnderFault(fault, action, false);
        table.record(fault, name, outcome);
        expect(outcome.summary).toMatch(EXPECTED[fault]);
        expect(outcome.message.length).toBeGreaterThan(20);
        expect(outcome.elapsedMs).toBeLessThan(TIMEOUT_MS + 1_000);
      });
    }
  }
});

describeWithServices('KMIP client under faults (Auto-Reconnect = 1)', () => {
  for (const [name, action] of Object.entries(ACTIONS)) {
    it(`${name} after an idle close is recovered on a new connection`, async () => {
      const connectionsBefore = proxy.stats.connections;
      const outcome = await runUnderFault('idle-close', action, true);
      proxy.setMode('pass');
      table.record('idle-close + Auto-Reconnect', name, outcome);
      expect(outcome.summary).toBe('ok');
      expect(proxy.stats.connections).toBe(connectionsBefore + 2);
    });

    it(`${name} after a drop before the response is retried once and succeeds`, async () => {
      const faultsBefore = proxy.stats.faults['drop-before-response'];
      const forwardedBefore = proxy.stats.requestsForwarded;
      const outcome = await runUnderFault('drop-before-response', action, true, 1);
      table.record('drop-before-response + Auto-Reconnect', name, outcome);
      expect(outcome.summary).toBe('ok');
      expect(proxy.stats.faults['drop-before-response']).toBe(faultsBefore + 1);
      // The request reached the server twice: the dropped one and the retry.
      expect(proxy.stats.requestsForwarded).toBe(forwardedBefore + 2);
    });
  }

  it('Register (not idempotent) dropped before the response is not re-sent', async () => {
    const client = await connectVia(true);
    proxy.setMode('drop-before-response', { times: 1 });
    const forwardedBefore = proxy.stats.requestsForwarded;
    const outcome = await outcomeOf(() =>
      client.registerSecretData({ name: `fault-register-${Date.now()}`, data: new Uint8Array(32).fill(7) }),
    );
    table.record('drop-before-response + Auto-Reconnect', 'Register', outcome);
    expect(outcome.summary).toBe('TransportError CONNECTION_CLOSED');
    expect(proxy.stats.requestsForwarded).toBe(forwardedBefore + 1);
  });

  for (const fault of ['stall', 'garbage', 'oversized-length', 'drop-mid-response'] as const) {
    it(`Query × ${fault} still ends in a typed error within timeout + 1 s`, async () => {
      const outcome = await runUnderFault(fault, ACTIONS.Query as Action, true);
      table.record(`${fault} + Auto-Reconnect`, 'Query', outcome);
      expect(outcome.ok).toBe(false);
      expect(outcome.elapsedMs).toBeLessThan(TIMEOUT_MS + 1_000);
    });
  }
});

describeWithServices('KMIP client under TLS-record-level faults (TCP passthrough proxy)', () => {
  // The proxy relays the TLS stream untouched (end-to-end TLS with PyKMIP); faults hit TLS records.
  let passthrough: FaultProxy;
  beforeAll(async () => {
    const services = requireServices();
    passthrough = await FaultProxy.start({ upstreamHost: services.host, upstreamPort: services.port });
  });
  afterAll(() => passthrough?.stop());

  for (const fault of ['drop-before-response', 'drop-mid-response', 'stall', 'garbage', 'oversized-length'] as const) {
    it(`Query × TLS-level ${fault}: typed error within timeout + 1 s`, async () => {
      const client = await KmipClient.connect(optionsVia(passthrough, { timeoutMs: TIMEOUT_MS, autoReconnect: false }));
      clients.push(client);
      passthrough.setMode(fault);
      const outcome = await outcomeOf(() => client.query());
      passthrough.setMode('pass');
      table.record(`TLS-level ${fault}`, 'Query', outcome);
      expect(outcome.summary).toMatch(/^TransportError [A-Z_]+$/);
      // Mid-session corruption is never blamed on the handshake or the port.
      expect(outcome.summary).not.toBe('TransportError TLS_HANDSHAKE_FAILED');
      expect(outcome.message.length).toBeGreaterThan(20);
      expect(outcome.elapsedMs).toBeLessThan(TIMEOUT_MS + 1_000);
    });
  }
});
