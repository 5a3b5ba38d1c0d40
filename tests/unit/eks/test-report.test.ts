// What the Test reports is what the operator judges a server by: the TLS step must show the
// handshake, not the bounded wait for a server that does not close its side of the probe connection,
// and no step may claim what it did not ask the server.
import { expect, it } from 'vitest';
import { runTest } from '../../../main/eks';
import { useLocalKmipServers } from '../../support/local-kmip-servers';
import { optionsFor } from '../../support/transport-fixtures';

const { pki, server } = useLocalKmipServers();

/** Timeout of the Test: the clean close waits for the server's close up to min(Timeout, 2 s). */
const TIMEOUT_MS = 3000;

it("times the TLS step by its handshake, not by the wait for a server that never closes the probe connection", async () => {
  // allowHalfOpen: the server keeps its side open after the client's close_notify and FIN.
  const neverCloses = await server(undefined, { allowHalfOpen: true });
  const started = performance.now();
  const report = await runTest({ ...optionsFor(pki, neverCloses.port, { timeoutMs: TIMEOUT_MS }), protocol: '1.2' }, () => undefined);
  const wholeMs = performance.now() - started;
  const tls = report.steps.find((step) => step.id === 'tls');
  expect(tls?.status).toBe('pass');
  // A handshake on loopback takes milliseconds; the close wait it used to include was 2000 ms.
  expect(tls?.ms).toBeLessThan(1000);
  // The probe's close and the client's run side by side: one close wait in the whole Test, not two.
  expect(wholeMs).toBeLessThan(2 * 2000);
});

it('at KMIP 1.0, which has no Discover Versions, does not claim to know which versions the server supports', async () => {
  const fake = await server();
  const report = await runTest({ ...optionsFor(pki, fake.port), protocol: '1.0' }, () => undefined);
  const negotiate = report.steps.find((step) => step.id === 'negotiate');
  expect(negotiate?.status).toBe('pass');
  expect(negotiate?.detail).toBe('KMIP 1.0 (as set); KMIP 1.0 has no Discover Versions, so the server was not asked which versions it supports');
  expect(fake.requests.length).toBeGreaterThan(0); // the Test did reach the server
});

it('with Verify off, says whether OpenSSL would accept the chain, or would reject it and why', async () => {
  const fake = await server();
  const tlsDetail = async (caCerts?: Buffer) => {
    const options = optionsFor(pki, fake.port, { verify: false, tls: caCerts ? { caCerts } : {} });
    const report = await runTest({ ...options, protocol: '1.2' }, () => undefined);
    return report.steps.find((step) => step.id === 'tls')?.detail;
  };
  expect(await tlsDetail(pki.ca)).toContain('Verify is off (OpenSSL would accept the chain)');
  expect(await tlsDetail()).toMatch(/Verify is off \(OpenSSL would reject the chain: [A-Z_]+\)/);
});
