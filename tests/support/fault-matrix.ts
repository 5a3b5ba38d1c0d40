// Shared pieces of the fault × action matrices: a TLS-terminating fault proxy in front of the run's
// PyKMIP server, client options pointing at it, and the record of outcomes printed at the end.
import { readFileSync } from 'node:fs';
import type { KmipClientOptions } from '../../main/kmip';
import { FAULT_MODES, FaultProxy, type FaultMode, type FaultProxyOptions } from './fault-proxy';
import { pykmipClientOptions, requireServices } from './services';

/** The faults every action is run against (all modes but the 'pass' control). */
export const FAULTS: FaultMode[] = FAULT_MODES.filter((mode) => mode !== 'pass');

/** Starts a proxy that presents the real server certificate and talks to PyKMIP as client.pem. */
export async function startKmipFaultProxy(extra: Partial<FaultProxyOptions> = {}): Promise<FaultProxy> {
  const services = requireServices();
  const { pki } = services;
  return FaultProxy.start({
    upstreamHost: services.host,
    upstreamPort: services.port,
    tls: {
      serverCert: readFileSync(pki.serverCert),
      serverKey: readFileSync(pki.serverKey),
      ca: readFileSync(pki.caCert),
      upstreamClientCert: readFileSync(pki.clientCert),
      upstreamClientKey: readFileSync(pki.clientKey),
    },
    ...extra,
  });
}

/** KmipClientOptions for a connection through `proxy` (Verify = yes: the proxy shows server.pem). */
export function optionsVia(
  proxy: { host: string; port: number },
  extra: { timeoutMs: number; autoReconnect: boolean },
): KmipClientOptions {
  return pykmipClientOptions({
    host: proxy.host,
    port: proxy.port,
    timeoutMs: extra.timeoutMs,
    autoReconnect: extra.autoReconnect,
    protocol: '2.0',
  });
}

export interface Outcome {
  ok: boolean;
  /** Error class name and code, e.g. "TransportError REQUEST_TIMEOUT"; "ok" on success. */
  summary: string;
  message: string;
  elapsedMs: number;
}

/** Runs `action` and records how it ended and how long it took. */
export async function outcomeOf(action: () => Promise<unknown>): Promise<Outcome> {
  const started = Date.now();
  try {
    await action();
    return { ok: true, summary: 'ok', message: '', elapsedMs: Date.now() - started };
  } catch (error) {
    const e = error as Error & { code?: string };
    return {
      ok: false,
      summary: `${e.name} ${e.code ?? '(no code)'}`,
      message: e.message,
      elapsedMs: Date.now() - started,
    };
  }
}

/** fault → action → cell text; printed as a Markdown table for the report. */
export class OutcomeTable {
  private readonly rows = new Map<string, Map<string, string>>();

  record(fault: string, action: string, outcome: Outcome): void {
    const row = this.rows.get(fault) ?? new Map<string, string>();
    row.set(action, `${outcome.summary} (${outcome.elapsedMs} ms)`);
    this.rows.set(fault, row);
  }

  toMarkdown(title: string): string {
    const actions = [...new Set([...this.rows.values()].flatMap((row) => [...row.keys()]))];
    const lines = [`${title}`, `| fault | ${actions.join(' | ')} |`, `|---|${actions.map(() => '---').join('|')}|`];
    for (const [fault, row] of this.rows) lines.push(`| ${fault} | ${actions.map((a) => row.get(a) ?? '').join(' | ')} |`);
    return lines.join('\n');
  }
}
