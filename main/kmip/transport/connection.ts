// A KMIP connection: one Request Message in, its Response Message out, honouring Nbio, Timeout and
// Auto-Reconnect. Re-sending is decided here and only here: a request is re-sent at most once, only
// when it is idempotent and the connection dropped before any byte of its answer arrived.
import { DEFAULT_MAX_MESSAGE_BYTES, encodeTtlv, Tag } from '../ttlv';
import { ItemType, type TtlvItem } from '../ttlv/types';
import { valueName } from '../messages/envelope';
import { spacedName } from '../messages/tree';
import { describeMessage } from '../log/logger';
import { assignBatchItemIds, restoreBatchItemIds } from './batch-ids';
import type { BatchIdMap } from './batch-ids';
import { capitalize, formatTarget, TransportError } from './errors';
import type { ConnectionOptions } from './options';
import { defaultResponseSpinMicros, MAX_RESPONSE_SPIN_MICROS } from './response-spin';
import { DroppedBeforeResponse, Session } from './session';
import type { TlsSessionInfo } from './session-info';
import { openTlsSocket } from './tls-socket';

export interface RoundTripOptions {
  /** true when sending the request twice has the same effect as once (Get, Locate, Query…); false for Create, Register. */
  idempotent: boolean;
}

/** Bound on waiting for the server's close after ours. */
const CLOSE_BOUND_MS = 2000;

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s`;
}

/** The operations of a request's batch items by spec name, e.g. "Register"; "KMIP" when none is named. */
function requestOperations(message: TtlvItem): string {
  const names: string[] = [];
  if (message.type === ItemType.Structure) {
    for (const item of message.value) {
      const operation = item.tag === Tag.BatchItem && item.type === ItemType.Structure ? item.value.find((field) => field.tag === Tag.Operation) : undefined;
      if (operation?.type === ItemType.Enumeration) names.push(spacedName(valueName('Operation', operation.value)));
    }
  }
  return names.length > 0 ? names.join(', ') : 'KMIP';
}

function checkOptions(options: ConnectionOptions): void {
  if (!options.host || /\s/.test(options.host)) {
    throw new TransportError('INVALID_OPTIONS', 'Host Name is empty or contains spaces. Enter a host name, IPv4 or IPv6 address.', { field: 'host' });
  }
  if (!Number.isInteger(options.port) || options.port < 1 || options.port > 65535) {
    throw new TransportError('INVALID_OPTIONS', `Port ${options.port} is not between 1 and 65535 (KMIP's port is 5696).`, { field: 'port' });
  }
  if (!Number.isFinite(options.timeoutMs) || options.timeoutMs < 0) {
    throw new TransportError('INVALID_OPTIONS', 'Timeout must be 0 (no timeout) or a positive number of seconds.', { field: 'timeout' });
  }
  const spin = options.responseSpinMicros;
  if (spin !== undefined && !(Number.isFinite(spin) && spin >= 0 && spin <= MAX_RESPONSE_SPIN_MICROS)) {
    throw new TransportError('INVALID_OPTIONS', `responseSpinMicros ${spin} is not between 0 and ${MAX_RESPONSE_SPIN_MICROS} µs (0: wait asleep at once).`);
  }
}

export class KmipConnection {
  private session: Session | null = null;
  private opening: Promise<Session> | null = null;
  /** aborts the opening in progress: close() must not wait on a handshake that may never end (Timeout 0) */
  private openingAbort: AbortController | null = null;
  private everOpened = false;
  private closedByClient = false;
  private info: TlsSessionInfo | null = null;
  private nextId = 0;
  /** responses received on this connection, across re-opens */
  private answered = 0;
  /** Nbio = 0: requests waiting for the connection, in order. */
  private busy = false;
  private readonly queue: Array<{ grant(): void }> = [];
  private readonly peer: string;
  private readonly maxMessageBytes: number;

  constructor(readonly options: ConnectionOptions) {
    checkOptions(options);
    this.peer = `the server at ${formatTarget(options.host, options.port)}`;
    this.maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  }

  /** What the last TLS handshake established (null before the first open). */
  get tlsInfo(): TlsSessionInfo | null {
    return this.info;
  }

  /** Connects and checks the server (pin, chain, name) within Timeout. */
  async open(): Promise<TlsSessionInfo> {
    this.closedByClient = false;
    if (this.session?.alive) return this.session.info;
    const session = await this.connect(this.deadline());
    return session.info;
  }

  /**
   * Sends one Request Message and resolves with its Response Message. With Nbio = 1 the batch
   * items' Unique Batch Item IDs are replaced on the wire and restored in the response
   * (see batch-ids.ts). Rejects only with TransportError (or the codec's TtlvError for a request
   * that cannot be encoded).
   */
  async roundTrip(request: TtlvItem, opts: RoundTripOptions): Promise<TtlvItem> {
    if (this.closedByClient) {
      throw new TransportError('CONNECTION_CLOSED', `The connection to ${this.peer} was closed by this client; open it again before sending.`);
    }
    const deadline = this.deadline();
    let message = request;
    let ids: BatchIdMap | null = null;
    if (this.options.pipelined) ({ message, ids } = assignBatchItemIds(request, () => this.batchId()));

    const release = this.options.pipelined ? null : (this.takeTurn() ?? (await this.waitTurn(deadline)));
    try {
      const response = await this.sendWithRetry(message, ids ? [...ids.keys()] : [], opts.idempotent, deadline);
      return ids ? restoreBatchItemIds(response, ids) : response;
    } finally {
      release?.();
    }
  }

  /** Clean close: close_notify and FIN, then wait (bounded) for the server's close. Never rejects. */
  async close(): Promise<void> {
    this.closedByClient = true;
    for (const waiting of this.queue.splice(0)) waiting.grant();
    this.openingAbort?.abort();
    if (this.opening) await this.opening.catch(() => undefined);
    const session = this.session;
    this.session = null;
    if (session) {
      const bound = this.options.timeoutMs > 0 ? Math.min(this.options.timeoutMs, CLOSE_BOUND_MS) : CLOSE_BOUND_MS;
      await session.close(bound);
      this.options.logger?.debug('kmip.close', { peer: this.peer });
    }
  }

  private deadline(): number {
    return this.options.timeoutMs > 0 ? performance.now() + this.options.timeoutMs : Infinity;
  }

  private batchId(): number {
    this.nextId += 1;
    return this.nextId;
  }

  /** Nbio = 0: the release function of the connection's turn when no request is in flight, else null. */
  private takeTurn(): (() => void) | null {
    if (this.busy) return null;
    this.busy = true;
    return () => this.releaseTurn();
  }

  /** Hands the turn to the next queued request, or frees the connection. */
  private releaseTurn(): void {
    const next = this.queue.shift();
    if (next) next.grant();
    else this.busy = false;
  }

  /** Nbio = 0: resolves with a release function once the requests queued before this one are done. */
  private waitTurn(deadline: number): Promise<() => void> {
    const release = (): void => this.releaseTurn();
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const entry = {
        grant: (): void => {
          clearTimeout(timer);
          if (this.closedByClient) reject(new TransportError('CONNECTION_CLOSED', `The connection to ${this.peer} was closed by this client; the request was not sent.`));
          else resolve(release);
        },
      };
      this.queue.push(entry);
      if (deadline !== Infinity) {
        timer = setTimeout(() => {
          const index = this.queue.indexOf(entry);
          if (index >= 0) this.queue.splice(index, 1);
          reject(
            new TransportError(
              'REQUEST_TIMEOUT',
              `The request waited longer than Timeout (${seconds(this.options.timeoutMs)}) for earlier requests on the connection to ${this.peer} (Nbio = 0); it was not sent.`,
              { field: 'timeout' },
            ),
          );
        }, Math.max(0, deadline - performance.now()));
      }
    });
  }

  /**
   * Encodes `message` for each attempt: the session wipes a request's bytes once written (they may
   * carry the password or key material), so a retry cannot re-send the bytes of the first attempt.
   */
  private async sendWithRetry(message: TtlvItem, ids: number[], idempotent: boolean, deadline: number): Promise<TtlvItem> {
    for (let attempt = 1; ; attempt += 1) {
      const session = this.session?.alive ? this.session : await this.reopen(deadline);
      const bytes = encodeTtlv(message);
      if (bytes.length > this.maxMessageBytes) {
        bytes.fill(0); // it may carry the password or key material
        throw this.requestTooLargeError(message, bytes.length);
      }
      this.options.logger?.debug('kmip.request', { peer: this.peer, bytes: bytes.length, idempotent, attempt, ...describeMessage(message) });
      try {
        const response = await session.send(bytes, ids, deadline);
        this.answered += 1;
        return response;
      } catch (err) {
        if (!(err instanceof DroppedBeforeResponse)) {
          const serverClosed = err instanceof TransportError && err.code === 'CONNECTION_CLOSED' && !this.closedByClient; // mid-response
          throw serverClosed ? this.closed(err.message, err.detail) : err;
        }
        const retry = idempotent && attempt === 1 && this.options.autoReconnect && !this.closedByClient;
        this.options.logger?.debug(retry ? 'kmip.retry' : 'kmip.dropped', { peer: this.peer, idempotent, attempt });
        if (!retry) throw this.droppedError(err.reason, idempotent, attempt);
      }
    }
  }

  /** CONNECTION_CLOSED, saying whether the server had answered requests on this connection before. */
  private closed(message: string, detail?: string): TransportError {
    return new TransportError('CONNECTION_CLOSED', message, { detail, answeredBeforeClose: this.answered });
  }

  private droppedError(reason: TransportError, idempotent: boolean, attempt: number): TransportError {
    const how = reason.detail && reason.detail !== 'closed' ? ` (${reason.detail})` : '';
    const base = `The connection to ${this.peer} closed before the server answered${how}`;
    if (!idempotent) {
      // Not every such request creates an object (Activate changes a State): the advice names both checks.
      const notReopened = this.options.autoReconnect ? '' : ', and Auto-Reconnect is off, so it was not re-opened';
      return this.closed(
        `${base}${notReopened}. The request changes the server's state, so it was not re-sent: its outcome is unknown. ` +
          'Check on the server whether it took effect (Locate finds an object it created, Get Attributes shows a State it changed) before trying again.',
        reason.detail,
      );
    }
    const why = attempt > 1 ? 'again after one automatic retry' : this.options.autoReconnect ? '' : 'and Auto-Reconnect is off';
    return this.closed(`${base}${why ? `, ${why}` : ''}. Check the server and the network, then try again.`, reason.detail);
  }

  /**
   * A request above the cap is refused before any byte of it is written: a server may drop it or take
   * longer than Timeout over it (PyKMIP 0.10 does not answer a 2 MiB Register within 15 s), which would
   * leave a Register's outcome unknown.
   */
  private requestTooLargeError(message: TtlvItem, size: number): TransportError {
    const cap = `${this.maxMessageBytes}-byte${this.maxMessageBytes === DEFAULT_MAX_MESSAGE_BYTES ? ' (1 MiB)' : ''}`;
    return new TransportError(
      'REQUEST_TOO_LARGE',
      `The ${requestOperations(message)} request would be ${size} bytes encoded, above the ${cap} message-size cap of this client ` +
        '(1 MiB is also the limit of common KMIP servers). It was not sent: nothing changed on the server, and the connection can be used for other requests. ' +
        'Store a smaller value, or split the data into several objects.',
    );
  }

  private requestTimeoutError(): TransportError {
    return new TransportError(
      'REQUEST_TIMEOUT',
      `${capitalize(this.peer)} did not answer within Timeout (${seconds(this.options.timeoutMs)}). The server may be overloaded or stalled; raise Timeout or check the server. The request's outcome is unknown.`,
      { field: 'timeout' },
    );
  }

  /** A new session in place of a missing or dead one, unless Auto-Reconnect forbids it. */
  private async reopen(deadline: number): Promise<Session> {
    if (this.everOpened && !this.opening && !this.options.autoReconnect) {
      const why = this.session?.closeReason ?? 'The connection is closed.';
      throw this.closed(`${why} Auto-Reconnect is off, so it was not re-opened and the request was not sent: open the connection again, or set Auto-Reconnect = 1.`);
    }
    if (this.everOpened) this.options.logger?.debug('kmip.reconnect', { peer: this.peer });
    return this.connect(deadline);
  }

  private connect(deadline: number): Promise<Session> {
    if (this.opening) return this.opening;
    const timeoutMs = deadline === Infinity ? 0 : Math.max(1, Math.round(deadline - performance.now()));
    const { host, port, logger } = this.options;
    logger?.debug('kmip.connect', { host, port, timeoutMs });
    const abort = new AbortController();
    this.openingAbort = abort;
    this.opening = openTlsSocket(this.options, timeoutMs, abort.signal)
      .then(({ socket, info, received }) => {
        if (this.closedByClient) {
          socket.destroy();
          throw new TransportError('CONNECTION_CLOSED', `The connection to ${this.peer} was closed by this client while it was opening.`);
        }
        const session = new Session(socket, received, info, {
          host,
          port,
          peer: this.peer,
          pipelined: this.options.pipelined,
          maxMessageBytes: this.maxMessageBytes,
          responseSpinMicros: this.options.responseSpinMicros ?? defaultResponseSpinMicros(),
          hasClientCert: Boolean(this.options.tls.clientCert),
          logger,
          timeoutError: () => this.requestTimeoutError(),
        });
        this.session = session;
        this.info = info;
        this.everOpened = true;
        logger?.debug('kmip.tls', {
          peer: this.peer,
          protocol: info.protocol,
          cipher: info.cipher?.standardName ?? null,
          authorized: info.authorized,
          pin: info.pin,
          handshakeMs: info.handshakeMs,
        });
        return session;
      })
      .finally(() => {
        this.opening = null;
        this.openingAbort = null;
      });
    return this.opening;
  }
}
