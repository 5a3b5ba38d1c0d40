// What a connection needs to know: the dialog's connection fields, in transport terms.
import type { KmipLogger } from '../log/logger';

/** Client certificate and key for the TLS handshake. Passphrases are used, never logged or echoed. */
export type ClientCredential =
  | { kind: 'pem'; cert: Buffer | string; key: Buffer | string; keyPassphrase?: string }
  | { kind: 'p12'; pfx: Buffer; passphrase?: string };

export interface TlsOptions {
  clientCert?: ClientCredential;
  /** One or more CA certificates (PEM bundle, or one DER certificate); system roots when absent. */
  caCerts?: Buffer;
  /** The server certificate that must be presented (PEM or DER), whatever `verify` says. */
  pinnedServerCert?: Buffer;
  /** OpenSSL cipher list (TLS 1.2 names; TLS 1.3 suite names also accepted). */
  ciphers?: string;
}

export interface ConnectionOptions {
  host: string;
  port: number;
  /** Bound on connect + TLS handshake, and on each request's round trip; 0 = none. */
  timeoutMs: number;
  /** true: chain must verify against caCerts (or system roots) and the name must match host. */
  verify: boolean;
  /** Nbio = 1: requests are pipelined, responses matched by Unique Batch Item ID. */
  pipelined: boolean;
  /** Re-open a dropped connection on the next request; retry idempotent requests once. */
  autoReconnect: boolean;
  tls: TlsOptions;
  /** Cap on one message, header included, both ways: a larger request is not sent, a larger response not read (default: the codec's DEFAULT_MAX_MESSAGE_BYTES). */
  maxMessageBytes?: number;
  /** How long to poll for an answer before sleeping, while answers come that quickly (0–MAX_RESPONSE_SPIN_MICROS; default: defaultResponseSpinMicros(), see response-spin.ts); 0 = sleep at once. */
  responseSpinMicros?: number;
  /** Receives debug events with redacted message dumps. */
  logger?: KmipLogger;
}
