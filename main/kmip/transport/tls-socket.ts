// Opens the TLS connection described by ConnectionOptions and checks the server (pin, chain, name)
// before the caller may send a single KMIP byte.
import { X509Certificate } from 'node:crypto';
import { isIP, type OnReadOpts } from 'node:net';
import { checkServerIdentity, connect, createSecureContext, getCiphers } from 'node:tls';
import type { ConnectionOptions as TlsConnectOptions, PeerCertificate, SecureContext, SecureContextOptions, TLSSocket } from 'node:tls';
import { chainVerificationError, clientCertDropped, formatTarget, mapSocketError, TransportError } from './errors';
import type { ClientCredential, ConnectionOptions, TlsOptions } from './options';
import { ReceivedBytes } from './received-bytes';
import { peerChain, summarizeCertificate } from './session-info';
import type { TlsSessionInfo } from './session-info';

const MIN_TLS_VERSION = 'TLSv1.2';
/**
 * TLS 1.3 servers judge the client certificate after the client's handshake is complete; an
 * OpenSSL-based server then sends session tickets (accepted) or an alert / a close (refused). open()
 * waits for either, at most this long, so that a refused certificate fails the connection step.
 */
const TLS13_CLIENT_VERDICT_MS = 250;

function isPem(bytes: Buffer | string): boolean {
  return bytes.toString('latin1', 0, Math.min(bytes.length, 4096)).includes('-----BEGIN');
}

function caBundle(caCerts: Buffer): Buffer | string {
  if (isPem(caCerts)) {
    const blocks = caCerts.toString('latin1').match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g);
    if (!blocks) {
      throw new TransportError('BAD_CA_FILE', 'CA Trusted Cert holds no PEM certificate. Load the CA certificate(s) as PEM or DER.', {
        field: 'caCerts',
      });
    }
    for (const block of blocks) parseCertificate(block, 'BAD_CA_FILE', 'CA Trusted Cert', 'caCerts');
    return caCerts;
  }
  return parseCertificate(caCerts, 'BAD_CA_FILE', 'CA Trusted Cert', 'caCerts').toString();
}

function parseCertificate(
  bytes: Buffer | string,
  code: 'BAD_CA_FILE' | 'BAD_PINNED_CERT_FILE',
  label: string,
  field: 'caCerts' | 'pinnedServerCert',
): X509Certificate {
  try {
    return new X509Certificate(bytes);
  } catch {
    throw new TransportError(code, `${label} is not a readable X.509 certificate (PEM or DER). Load the certificate file again.`, {
      field,
    });
  }
}

/** SHA-256 fingerprint (Node's colon hex) of the pinned certificate, or null when none is pinned. */
export function pinnedFingerprint(tls: TlsOptions): string | null {
  if (!tls.pinnedServerCert) return null;
  return parseCertificate(tls.pinnedServerCert, 'BAD_PINNED_CERT_FILE', 'Server Cert', 'pinnedServerCert').fingerprint256;
}

const ENCRYPTED_PEM_KEY = /-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type:\s*4,ENCRYPTED/;

/**
 * A wrong password for an encrypted PEM key that still ends in valid padding (about 1 time in 200 to
 * 400 with AES-CBC): OpenSSL then fails to decode the garbage, instead of saying "bad decrypt".
 */
function wrongPasswordDecoded(credential: ClientCredential | undefined, lower: string): boolean {
  return credential?.kind === 'pem' && Boolean(credential.keyPassphrase) && ENCRYPTED_PEM_KEY.test(String(credential.key)) && /decoder routines/.test(lower);
}

/** Classifies OpenSSL's complaint about the local TLS configuration (never quotes a passphrase). */
function secureContextError(err: unknown, tls: TlsOptions): TransportError {
  const text = err instanceof Error ? err.message : String(err);
  const lower = text.toLowerCase();
  const credential = tls.clientCert;
  const fileLabel = credential?.kind === 'p12' ? 'the PKCS#12 file in Cert' : 'the client key in Key';
  if (/no cipher match|no_cipher_match/.test(lower)) {
    return new TransportError(
      'INVALID_CIPHERS',
      'Ciphers matches no cipher this TLS library supports. Use an OpenSSL cipher list such as "ECDHE-RSA-AES256-GCM-SHA384:AES256-SHA256", or leave Ciphers empty for the defaults.',
      { field: 'ciphers', detail: text },
    );
  }
  if (/bad decrypt|mac verify failure|bad password|interrupted or cancelled|maybe wrong password/.test(lower) || wrongPasswordDecoded(credential, lower)) {
    const hasPassphrase = credential?.kind === 'p12' ? Boolean(credential.passphrase) : Boolean(credential?.keyPassphrase);
    const fix = hasPassphrase ? 'wrong password for' : 'a password is needed for';
    return new TransportError(
      'BAD_CLIENT_CREDENTIAL_FILE',
      `Could not decrypt ${fileLabel}: ${fix} the client key. Enter the file's password in its Password field.`,
      { field: credential?.kind === 'p12' ? 'clientCert' : 'clientKey', detail: 'decryption failed' },
    );
  }
  if (/key values mismatch|key_values_mismatch/.test(lower)) {
    return new TransportError(
      'BAD_CLIENT_CREDENTIAL_FILE',
      'The client key in Key does not belong to the client certificate in Cert. Load the matching pair.',
      { field: 'clientKey', detail: text },
    );
  }
  if (credential?.kind === 'p12' && /unsupported|algorithm/.test(lower)) {
    return new TransportError(
      'BAD_CLIENT_CREDENTIAL_FILE',
      'The PKCS#12 file in Cert uses a legacy encryption (e.g. RC2-40) the TLS library refuses. Re-export it with AES (openssl pkcs12 -export ... without -legacy), or load the certificate and key as PEM.',
      { field: 'clientCert', detail: text },
    );
  }
  if (credential) {
    return new TransportError(
      'BAD_CLIENT_CREDENTIAL_FILE',
      `The client certificate or key could not be read (${text}). Load Cert and Key again (PEM, or PKCS#12 with its password).`,
      { field: credential.kind === 'p12' ? 'clientCert' : 'clientKey', detail: text },
    );
  }
  return new TransportError('INVALID_OPTIONS', `The TLS settings were refused: ${text}.`, { detail: text });
}

/**
 * `@SECLEVEL=0` in a cipher list lets OpenSSL negotiate suites with no encryption (eNULL) or no
 * server authentication (aNULL): KMIP requests, key material included, would cross the network in
 * the clear. OpenSSL refuses those suites at every higher level, so only level 0 is refused.
 */
const SECURITY_LEVEL_ZERO = /@SECLEVEL=0(?![0-9])/i;

/** The names of an OpenSSL cipher list, which separates them with ':', ' ' or ','. */
export function cipherListNames(list: string): string[] {
  return list.split(/[:, ]+/).filter((name) => name !== '');
}

/**
 * A TLS_… name of the list that is no TLS 1.3 suite of this OpenSSL. Node.js hands every TLS_… name
 * to OpenSSL as a TLS 1.3 suite, and OpenSSL skips unknown ones without a word; the IANA name of a
 * TLS 1.2 suite (TLS_RSA_WITH_…) then leaves the handshake with no cipher at all, which no server
 * can be blamed for.
 */
function unknownTls13Suite(ciphers: string): string | undefined {
  const tls13 = new Set(getCiphers().filter((name) => name.startsWith('tls_')));
  return cipherListNames(ciphers).find((name) => name.startsWith('TLS_') && !tls13.has(name.toLowerCase()));
}

/** Refuses what OpenSSL would take but the connection cannot use as meant; see above. */
function checkCipherIntent(ciphers: string): void {
  if (SECURITY_LEVEL_ZERO.test(ciphers)) {
    throw new TransportError(
      'INVALID_CIPHERS',
      'Ciphers sets @SECLEVEL=0, which allows cipher suites without encryption or without server authentication: key material would cross the network in the clear. Remove "@SECLEVEL=0".',
      { field: 'ciphers', detail: 'security level 0' },
    );
  }
  const suite = unknownTls13Suite(ciphers);
  if (suite !== undefined) {
    throw new TransportError(
      'INVALID_CIPHERS',
      `Ciphers: "${suite}" is no TLS 1.3 suite (those are TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256 and the like). ` +
        "A TLS_…_WITH_… name is the IANA name of a TLS 1.2 suite, and Ciphers takes OpenSSL's names for those " +
        '(`openssl ciphers -stdname` shows both; TLS_RSA_WITH_AES_256_CBC_SHA256 is AES256-SHA256). Use the OpenSSL name, or remove it.',
      { field: 'ciphers', detail: 'not a TLS 1.3 suite' },
    );
  }
}

/** Builds the TLS context; throws a TransportError naming the setting at fault. */
export function createClientSecureContext(tls: TlsOptions): SecureContext {
  if (tls.ciphers !== undefined) checkCipherIntent(tls.ciphers);
  const options: SecureContextOptions = { minVersion: MIN_TLS_VERSION };
  if (tls.caCerts) options.ca = caBundle(tls.caCerts);
  // OpenSSL takes ' ' and ',' between names too, but Node.js finds TLS 1.3 suites (TLS_…) only between ':'.
  if (tls.ciphers !== undefined && tls.ciphers.trim() !== '') options.ciphers = cipherListNames(tls.ciphers).join(':');
  const credential = tls.clientCert;
  if (credential?.kind === 'pem') {
    options.cert = credential.cert;
    options.key = credential.key;
    if (credential.keyPassphrase !== undefined) options.passphrase = credential.keyPassphrase;
  } else if (credential?.kind === 'p12') {
    options.pfx = credential.pfx;
    if (credential.passphrase !== undefined) options.passphrase = credential.passphrase;
  }
  try {
    return createSecureContext(options);
  } catch (err) {
    throw secureContextError(err, tls);
  }
}

/** Checks an OpenSSL cipher list offline (for saving the Ciphers field). */
export function checkCipherList(ciphers: string): TransportError | null {
  try {
    createClientSecureContext({ ciphers });
    return null;
  } catch (err) {
    if (err instanceof TransportError) return err;
    throw err;
  }
}

export interface OpenedTlsSocket {
  socket: TLSSocket;
  info: TlsSessionInfo;
  /** Everything the socket receives (it emits no 'data' events). */
  received: ReceivedBytes;
}

/**
 * Connects, completes the handshake and checks the server within `timeoutMs` (0 = no bound).
 * Resolves only when the pin (if any), and with Verify = yes the chain and host name, passed.
 * `abort` ends the attempt at once (CONNECTION_CLOSED): the client was closed while it opened.
 */
export function openTlsSocket(options: ConnectionOptions, timeoutMs: number, abort?: AbortSignal): Promise<OpenedTlsSocket> {
  let secureContext: SecureContext;
  let pinned: string | null;
  try {
    secureContext = createClientSecureContext(options.tls);
    pinned = pinnedFingerprint(options.tls);
  } catch (err) {
    return Promise.reject(err);
  }
  const { host, port } = options;
  const target = formatTarget(host, port);
  const hasClientCert = Boolean(options.tls.clientCert);
  const started = performance.now();

  return new Promise<OpenedTlsSocket>((resolve, reject) => {
    let where: 'connect' | 'handshake' = 'connect';
    let settled = false;
    const received = new ReceivedBytes();
    // `onread` is a documented tls.connect option (nodejs/node#35753) that @types/node lacks.
    const connectOptions: TlsConnectOptions & { onread: OnReadOpts } = {
      onread: received.onread,
      host,
      port,
      secureContext,
      // SNI carries DNS names only (RFC 6066); an IP literal is never sent as server name.
      servername: isIP(host) ? '' : host,
      // The chain result is read from socket.authorized after the handshake, so that the pin is
      // enforced and the failure explained even with Verify = no; the name is checked below.
      rejectUnauthorized: false,
      checkServerIdentity: () => undefined,
      minVersion: MIN_TLS_VERSION,
    };
    const socket = connect(connectOptions);
    socket.setNoDelay(true);

    let verdictTimer: NodeJS.Timeout | undefined;
    const onAbort = (): void =>
      fail(new TransportError('CONNECTION_CLOSED', `The connection to the server at ${target} was closed by this client while it was opening.`));
    const fail = (error: TransportError): void => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      clearTimeout(verdictTimer);
      abort?.removeEventListener('abort', onAbort);
      socket.destroy();
      reject(error);
    };
    const timer =
      timeoutMs > 0
        ? setTimeout(() => {
            const seconds = (timeoutMs / 1000).toFixed(timeoutMs % 1000 === 0 ? 0 : 1);
            const message =
              where === 'connect'
                ? `No TCP connection to ${target} within Timeout (${seconds} s). Check Host Name, Port and firewalls, or raise Timeout.`
                : `The TLS handshake with ${target} did not complete within Timeout (${seconds} s) although TCP connected. Check that Port is the key server's KMIP/TLS port, or raise Timeout.`;
            fail(new TransportError('CONNECT_TIMEOUT', message, { field: 'timeout', detail: where }));
          }, timeoutMs)
        : null;
    if (abort?.aborted) onAbort();
    else abort?.addEventListener('abort', onAbort, { once: true });

    // Key material exists once the server's hello and certificate were processed (and, on TLS 1.2,
    // ours sent): a failure after that point is about the client certificate, not ciphers or versions.
    let keysAgreed = false;
    const onKeylog = (): void => {
      keysAgreed = true;
    };
    socket.once('keylog', onKeylog);
    const serverCertificateSeen = (): boolean => keysAgreed || (where === 'handshake' && Object.keys(socket.getPeerCertificate() ?? {}).length > 0);
    // Stays attached for the socket's life: a late 'error' must never go unhandled.
    socket.on('error', (err) => fail(mapSocketError(err, { host, port, where, hasClientCert, serverCertificateSeen: serverCertificateSeen() })));
    socket.once('connect', () => {
      where = 'handshake';
    });
    socket.once('close', () =>
      fail(
        hasClientCert && serverCertificateSeen()
          ? clientCertDropped(target, 'closed during handshake')
          : new TransportError(
          'TLS_HANDSHAKE_FAILED',
          `The server at ${target} closed the connection during the TLS handshake. Check that Port is the key server's KMIP/TLS port and that it accepts this client's certificate, TLS version and Ciphers.`,
          { detail: 'closed during handshake' },
        ),
      ),
    );
    socket.once('secureConnect', () => {
      socket.off('keylog', onKeylog);
      if (settled) return;
      const info = sessionInfo(socket, started, pinned, options.verify);
      const refusal = refuseServer(socket, info, { host, port, pinned, verify: options.verify, usingCaCerts: Boolean(options.tls.caCerts) });
      if (refusal) {
        fail(refusal);
        return;
      }
      const succeed = (): void => {
        if (settled) return;
        settled = true;
        if (timer) clearTimeout(timer);
        clearTimeout(verdictTimer);
        abort?.removeEventListener('abort', onAbort);
        resolve({ socket, info, received });
      };
      if (info.protocol !== 'TLSv1.3') {
        succeed();
        return;
      }
      // Until the verdict, an 'error' or 'close' is still handled above as a handshake failure.
      // 'session' is emitted from inside OpenSSL's record processing: writing from there loses the
      // bytes, so the caller is let in on the next turn of the event loop.
      socket.once('session', () => setImmediate(succeed));
      verdictTimer = setTimeout(succeed, TLS13_CLIENT_VERDICT_MS);
    });
  });
}

function sessionInfo(socket: TLSSocket, started: number, pinned: string | null, verify: boolean): TlsSessionInfo {
  const chain = peerChain(socket);
  const leaf = chain[0] ?? null;
  const cipher = socket.getCipher();
  return {
    protocol: socket.getProtocol(),
    cipher: cipher ? { name: cipher.name, standardName: cipher.standardName, version: cipher.version } : null,
    peerCertificate: leaf ? summarizeCertificate(leaf) : null,
    chain: chain.map(summarizeCertificate),
    authorized: socket.authorized,
    authorizationError: socket.authorizationError ? String(socket.authorizationError) : null,
    hostnameCheck: verify ? 'passed' : 'skipped',
    pin: pinned === null ? 'not-configured' : leaf?.fingerprint256 === pinned ? 'matched' : 'mismatched',
    handshakeMs: Math.round(performance.now() - started),
  };
}

/** Pin first (whatever Verify says), then with Verify = yes the chain, then the host name. */
function refuseServer(
  socket: TLSSocket,
  info: TlsSessionInfo,
  ctx: { host: string; port: number; pinned: string | null; verify: boolean; usingCaCerts: boolean },
): TransportError | null {
  const target = formatTarget(ctx.host, ctx.port);
  if (info.pin === 'mismatched') {
    return new TransportError(
      'PIN_MISMATCH',
      `The server at ${target} presented a certificate (SHA-256 ${info.peerCertificate?.fingerprint256 ?? 'none'}, subject ${info.peerCertificate?.subject.replace(/\n/g, ', ') ?? 'none'}) that is not the one loaded in Server Cert (SHA-256 ${ctx.pinned}). Load the server's current certificate into Server Cert, or clear it if the server certificate was renewed on purpose.`,
      { field: 'pinnedServerCert', tlsInfo: info },
    );
  }
  if (!ctx.verify) return null;
  if (!socket.authorized) {
    return chainVerificationError(info.authorizationError ?? 'UNKNOWN', { host: ctx.host, port: ctx.port, usingCaCerts: ctx.usingCaCerts, tlsInfo: info });
  }
  const peer: PeerCertificate = socket.getPeerCertificate();
  const mismatch = checkServerIdentity(ctx.host, peer);
  if (mismatch) {
    info.hostnameCheck = 'failed';
    const names = peer.subjectaltname || (peer.subject?.CN ? `CN=${String(peer.subject.CN)}` : 'none');
    return new TransportError(
      'HOSTNAME_MISMATCH',
      `Host Name "${ctx.host}" is not a name of the server certificate (it names: ${names}). Set Host Name to one of those names, or have the server certificate reissued with "${ctx.host}" in its subjectAltName.`,
      { field: 'host', tlsInfo: info, detail: 'ERR_TLS_CERT_ALTNAME_INVALID' },
    );
  }
  return null;
}
