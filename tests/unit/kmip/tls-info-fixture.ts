// What a KmipSession stand-in reports as its TLS session, and the options a KmipClient over one is
// started with, for client tests without a server.
import type { KmipClientOptions } from '../../../main/kmip';
import type { TlsSessionInfo } from '../../../main/kmip/transport';

export const TLS_INFO: TlsSessionInfo = {
  protocol: 'TLSv1.2',
  cipher: null,
  peerCertificate: null,
  chain: [],
  authorized: true,
  authorizationError: null,
  hostnameCheck: 'passed',
  pin: 'not-configured',
  handshakeMs: 1,
};

/** Options for KmipClient.start over a stand-in session: valid, and the address is never dialled. */
export const CLIENT_OPTIONS: KmipClientOptions = {
  host: '127.0.0.1',
  port: 5696,
  timeoutMs: 1000,
  verify: true,
  pipelined: false,
  autoReconnect: false,
  tls: {},
  protocol: 'auto',
};
