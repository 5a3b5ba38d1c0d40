// What the TLS handshake established, for the Test diagnostics and the UI.
import { X509Certificate } from 'node:crypto';
import type { DetailedPeerCertificate, TLSSocket } from 'node:tls';

export interface CertificateSummary {
  subject: string;
  issuer: string;
  serialNumber: string;
  validFrom: string;
  validTo: string;
  /** SHA-256 of the DER certificate, colon-separated upper-case hex (Node's format). */
  fingerprint256: string;
  subjectAltName: string | null;
}

export interface TlsSessionInfo {
  /** e.g. 'TLSv1.2' */
  protocol: string | null;
  cipher: { name: string; standardName: string; version: string } | null;
  /** The leaf the server presented. */
  peerCertificate: CertificateSummary | null;
  /** Leaf first, then each issuer the server sent or the trust store supplied. */
  chain: CertificateSummary[];
  /** Whether OpenSSL verified the chain against the trust store (reported even with Verify = no). */
  authorized: boolean;
  authorizationError: string | null;
  /** Host name check against the leaf; 'skipped' when Verify = no. */
  hostnameCheck: 'passed' | 'failed' | 'skipped';
  pin: 'matched' | 'mismatched' | 'not-configured';
  /** Time from starting the connection to the completed handshake. */
  handshakeMs: number;
}

export function summarizeCertificate(cert: X509Certificate): CertificateSummary {
  return {
    subject: cert.subject,
    issuer: cert.issuer,
    serialNumber: cert.serialNumber,
    validFrom: cert.validFrom,
    validTo: cert.validTo,
    fingerprint256: cert.fingerprint256,
    subjectAltName: cert.subjectAltName ?? null,
  };
}

/** The presented chain, leaf first; stops at a self-signed certificate (it points at itself). */
export function peerChain(socket: TLSSocket): X509Certificate[] {
  const chain: X509Certificate[] = [];
  const seen = new Set<string>();
  let current: DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
  while (current && current.raw && !seen.has(current.fingerprint256)) {
    seen.add(current.fingerprint256);
    chain.push(new X509Certificate(current.raw));
    current = current.issuerCertificate;
  }
  return chain;
}
