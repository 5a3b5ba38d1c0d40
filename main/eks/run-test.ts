// Test (PRODUCT.md §3): diagnostics on the settings on screen, without side effects on the server —
// only Discover Versions and Query are sent.
import { performance } from 'node:perf_hooks';
import type { TestReport, TlsSummary } from '../../common/ipc';
import { KmipClient, KmipConnection, KmipVersionError, Operation, showableServerText, type KmipClientOptions, type TlsSessionInfo } from '../kmip';
import { rngRetrieveVersionTooLow } from './entropy';
import { EksError } from './errors';
import { objectTypeName, operationName } from './names';
import { probeTcp, resolveHost } from './probes';
import type { RunCancel } from './run-cancel';
import { StepRunner, type StepListener } from './steps';

export const TEST_STEPS = [
  { id: 'dns', label: 'Name resolution' },
  { id: 'tcp', label: 'TCP connect' },
  { id: 'tls', label: 'TLS handshake' },
  { id: 'negotiate', label: 'KMIP version' },
  { id: 'query', label: 'Query' },
  { id: 'operations', label: 'Required operations' },
  { id: 'credentials', label: 'Credentials' },
] as const;

/** Operations Apply and Recover cannot do without. */
export const REQUIRED_OPERATIONS = [Operation.Register, Operation.Activate, Operation.Locate, Operation.Get];

export function tlsSummary(info: TlsSessionInfo): TlsSummary {
  return {
    protocol: info.protocol ?? 'unknown',
    cipher: info.cipher?.standardName ?? info.cipher?.name ?? 'unknown',
    serverChain: info.chain.map((c) => c.subject.replace(/\n/g, ', ')),
    verified: info.authorized,
    pinned: info.pin === 'not-configured' ? null : info.pin === 'matched',
  };
}

function describeTls(info: TlsSessionInfo, verify: boolean): string {
  const summary = tlsSummary(info);
  const parts = [
    `${summary.protocol}, ${summary.cipher}`,
    `server chain: ${summary.serverChain.join(' ← ') || 'none'}`,
    verify
      ? `chain verified, host name ${info.hostnameCheck}`
      : `Verify is off (OpenSSL ${info.authorized ? 'would accept the chain' : `would reject the chain: ${info.authorizationError ?? 'unverified'}`})`,
  ];
  if (info.pin !== 'not-configured') parts.push(`pin ${info.pin}`);
  return parts.join('; ');
}

/** Why the stored KMIP password was kept out of this Test (main/app/test-password.ts), and how to test with it. */
export interface PasswordNotSent {
  reason: string;
  fix: string;
}

/**
 * Runs the diagnostics. `cancel` stops the run at the step in progress (it fails as TEST_CANCELED,
 * the later ones are skipped) and closes the connection that step holds. `passwordNotSent`: the
 * credentials step says so, also when an earlier step failed.
 */
export async function runTest(options: KmipClientOptions, onStep: StepListener, cancel?: RunCancel, passwordNotSent?: PasswordNotSent): Promise<TestReport> {
  const startedAt = new Date().toISOString();
  const started = performance.now();
  const runner = new StepRunner(
    TEST_STEPS,
    onStep,
    cancel && { request: cancel, error: () => new EksError('TEST_CANCELED', 'Test canceled by the operator before this step ended.') },
  );
  /** `close` ends what the step in progress holds open when the Test is canceled. */
  const onCancel = (close: () => Promise<void>): void => cancel?.signal.addEventListener('abort', () => void close(), { once: true });
  const report: Omit<TestReport, 'ok' | 'steps' | 'totalMs'> = { startedAt };
  let client: KmipClient | undefined;
  // The TLS probe's clean close waits (bounded) for the server's own close: it runs beside the later
  // steps, so that neither the TLS step's time nor the whole Test's includes it.
  let probeClosed: Promise<void> = Promise.resolve();
  try {
    const addresses = await runner.run('dns', async (step) => {
      const found = await resolveHost(options.host, options.timeoutMs);
      step.detail(found.length === 1 && found[0] === options.host ? `${options.host} is an IP address` : `${options.host} → ${found.join(', ')}`);
      return found;
    });

    await runner.run('tcp', async (step) => {
      await probeTcp(addresses[0]!, options.port, options.timeoutMs);
      step.detail(`connected to ${addresses[0]}:${options.port}`);
    });

    await runner.run('tls', async (step) => {
      const connection = new KmipConnection(options);
      onCancel(() => connection.close());
      try {
        const info = await connection.open();
        report.tls = tlsSummary(info);
        if (!options.verify && info.pin !== 'matched') {
          step.warn(describeTls(info, false), "Anyone on the network path could impersonate the key server: set Verify to yes with the server's CA, or pin the Server Cert.");
        } else {
          step.detail(describeTls(info, options.verify));
        }
      } finally {
        probeClosed = connection.close();
      }
    });

    client = await runner.run('negotiate', async (step) => {
      const connection = new KmipConnection(options);
      onCancel(() => connection.close());
      const connected = await KmipClient.start(connection, options);
      try {
        // KMIP 1.0 has no Discover Versions: at 1.0 the server cannot be asked what else it speaks.
        const serverVersions = connected.version === '1.0' ? null : await connected.discoverVersions();
        if (serverVersions && options.protocol !== 'auto' && !serverVersions.includes(options.protocol)) {
          throw new KmipVersionError(
            'KMIP_NO_COMMON_VERSION',
            `The server does not support KMIP ${options.protocol}; it supports ${serverVersions.join(', ') || 'none of the versions offered'}.`,
          );
        }
        report.negotiatedVersion = connected.version;
        const supported = serverVersions ? `server supports ${serverVersions.join(', ')}` : 'KMIP 1.0 has no Discover Versions, so the server was not asked which versions it supports';
        step.detail(`KMIP ${connected.version} ${options.protocol === 'auto' ? '(highest common version)' : '(as set)'}; ${supported}`);
        return connected;
      } catch (error) {
        await connected.close();
        throw error;
      }
    });

    const query = await runner.run('query', async (step) => {
      const result = await client!.query();
      const vendor = result.vendorIdentification === undefined ? undefined : showableServerText(result.vendorIdentification);
      if (vendor !== undefined) report.serverVendor = vendor;
      const objects = result.objectTypes.length > 0 ? result.objectTypes.map(objectTypeName).join(', ') : 'not listed';
      step.detail(`vendor: ${vendor ?? 'not given'}; ${result.operations.length} operations; object types: ${objects}`);
      return result;
    });

    await runner.run('operations', async (step) => {
      const missing = REQUIRED_OPERATIONS.filter((op) => !query.operations.includes(op)).map(operationName);
      if (missing.length > 0) {
        throw new EksError('OPERATION_NOT_OFFERED', `The server does not offer ${missing.join(', ')}, which Apply and Recover need.`);
      }
      const offered = REQUIRED_OPERATIONS.map(operationName).join(', ');
      const tooLow = rngRetrieveVersionTooLow(client!.version, options.protocol);
      if (!query.operations.includes(Operation.RNGRetrieve)) {
        step.warn(
          `${offered} offered; RNG Retrieve is not: entropy source: unavailable on this server`,
          'Nothing to do: keys are then generated from the OS random generator alone. Set Disable Entropy Seed to stop asking.',
        );
      } else if (tooLow) {
        step.warn(`${offered} offered; ${tooLow.reason}, so no entropy is fetched: ${tooLow.status}`, tooLow.fix);
      } else {
        step.detail(`${offered} and RNG Retrieve offered`);
      }
    });

    await runner.run('credentials', async (step) => {
      if (passwordNotSent) {
        step.warn(`Password not sent: ${passwordNotSent.reason}. Username "${options.credentials?.username ?? ''}" was sent without it and accepted with Discover Versions and Query`, passwordNotSent.fix);
        return;
      }
      step.detail(
        options.credentials?.username
          ? `Username "${options.credentials.username}" accepted with Discover Versions and Query (some servers, such as PyKMIP, do not check it)`
          : `no Username set: the server identifies this client by its TLS client certificate`,
      );
    });
  } catch (error) {
    if (!(error instanceof EksError)) throw error;
    // Not a bare "skipped": a server that refused the Username alone must not read as a wrong password.
    const credentials = runner.steps.find((step) => step.id === 'credentials');
    if (passwordNotSent && credentials?.status === 'skipped') runner.skip('credentials', `Password not sent: ${passwordNotSent.reason}. ${passwordNotSent.fix}`);
  } finally {
    await Promise.all([client?.close(), probeClosed]);
  }
  return { ...report, ok: !runner.failed, steps: runner.snapshot(), totalMs: Math.round(performance.now() - started) };
}
