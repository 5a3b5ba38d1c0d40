// What a KmipSession stand-in reports as its TLS session, for client tests without a server.
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
