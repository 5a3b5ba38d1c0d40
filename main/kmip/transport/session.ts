// One open TLS connection: writes request bytes, cuts the incoming stream into messages and hands
// each to the request it answers (in order with Nbio = 0, by Unique Batch Item ID with Nbio = 1).
// Request deadlines are watched by one timer per connection, armed for the earliest deadline and
// re-armed only when it fires: a request costs no timer operation of its own.
import type { TLSSocket } from 'node:tls';
import { decodeTtlv, Tag, TtlvError } from '../ttlv';
import type { TtlvItem } from '../ttlv/types';
import { describeMessage } from '../log/logger';
import type { KmipLogger } from '../log/logger';
import { responseBatchItemIds, transportIdOf } from './batch-ids';
import { capitalize, mapSocketError, TransportError } from './errors';
import { FrameReader } from './frame-reader';
import type { ReceivedBytes } from './received-bytes';
import { ResponseSpin } from './response-spin';
import type { TlsSessionInfo } from './session-info';

/** The connection dropped before any byte of this request's response arrived: safe to retry if idempotent. */
export class DroppedBeforeResponse extends Error {
  constructor(readonly reason: TransportError) {
    super(reason.message);
  }
}

interface Waiter {
  /** transport IDs (counter values, see batch-ids.ts) of its batch items; empty with Nbio = 0 */
  ids: number[];
  /** performance.now() time by which the answer must have arrived (Infinity: none) */
  deadline: number;
  /** performance.now() time it was written */
  sentAt: number;
  resolve(message: TtlvItem): void;
  reject(error: TransportError | DroppedBeforeResponse): void;
}

export interface SessionConfig {
  host: string;
  port: number;
  /** "the server at host:port", for messages */
  peer: string;
  pipelined: boolean;
  maxMessageBytes: number;
  hasClientCert: boolean;
  logger: KmipLogger | undefined;
  /** How long to spin for an answer after each request (see response-spin.ts); 0 = never. */
  responseSpinMicros: number;
  /** The error of a request whose deadline passed without an answer. */
  timeoutError(): TransportError;
}

/** A deadline closer than this is due: timers fire with millisecond granularity. */
const DEADLINE_SLACK_MS = 1;

export class Session {
  private readonly reader: FrameReader;
  private readonly waiters: Waiter[] = [];
  private readonly byId = new Map<number, Waiter>();
  /** IDs of pipelined requests that timed out: their late answers are dropped, not treated as garbage. */
  private readonly abandoned = new Set<number>();
  private failure: TransportError | null = null;
  private readonly closed: Promise<void>;
  private watchdog: NodeJS.Timeout | null = null;
  private watchdogAt = Infinity;
  private readonly spin: ResponseSpin;

  constructor(
    readonly socket: TLSSocket,
    received: ReceivedBytes,
    readonly info: TlsSessionInfo,
    private readonly config: SessionConfig,
  ) {
    this.reader = new FrameReader({ expectedTag: Tag.ResponseMessage, maxMessageBytes: config.maxMessageBytes, peer: config.peer });
    this.spin = new ResponseSpin(config.responseSpinMicros, () => this.waiters.length > 0);
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    received.consume((chunk) => this.onData(chunk));
    socket.on('error', (err) => {
      const mapped = mapSocketError(err, { host: config.host, port: config.port, where: 'exchange', hasClientCert: config.hasClientCert });
      if (mapped.code === 'CONNECTION_CLOSED') this.onDropped(mapped.detail);
      else this.fail(mapped, false);
    });
    socket.on('end', () => this.onDropped(undefined));
    socket.on('close', () => this.onDropped(undefined));
  }

  get alive(): boolean {
    return this.failure === null && !this.socket.destroyed && this.socket.writable;
  }

  /** Why the connection ended, when it did. */
  get closeReason(): string | null {
    return this.failure?.message ?? null;
  }

  /**
   * Writes a request and resolves with its response. Past `deadline` it rejects with the timeout
   * error and the answer is given up: Nbio 0 closes the connection, Nbio 1 drops a late answer.
   * `bytes` are zeroed once the socket has taken them (or at once when they cannot be sent): an
   * encoded request can hold the password or key material, and small Buffers share a pool that
   * later allocations reuse uninitialized.
   */
  send(bytes: Buffer, ids: number[], deadline: number): Promise<TtlvItem> {
    if (this.failure) {
      bytes.fill(0);
      return Promise.reject(new DroppedBeforeResponse(this.failure));
    }
    return new Promise<TtlvItem>((resolve, reject) => {
      const sentAt = performance.now();
      const waiter: Waiter = { ids, deadline, sentAt, resolve, reject };
      this.waiters.push(waiter);
      for (const id of ids) this.byId.set(id, waiter);
      this.armWatchdog(deadline);
      this.socket.write(bytes, () => bytes.fill(0));
      this.spin.sent(sentAt);
    });
  }

  /** Ends the connection (close_notify + FIN), waiting at most `boundMs` for the peer's close. */
  async close(boundMs: number): Promise<void> {
    this.fail(
      new TransportError('CONNECTION_CLOSED', 'The connection was closed by this client before the server answered; the outcome of the request is unknown.'),
      false,
      false,
    );
    this.socket.end();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.closed, new Promise<void>((resolve) => (timer = setTimeout(resolve, boundMs)))]);
    clearTimeout(timer);
    this.socket.destroy();
  }

  private armWatchdog(deadline: number): void {
    if (deadline >= this.watchdogAt) return;
    if (this.watchdog) clearTimeout(this.watchdog);
    this.watchdogAt = deadline;
    this.watchdog = setTimeout(() => this.onWatchdog(), Math.max(0, deadline - performance.now()));
    // A request in flight keeps the process alive through its socket; the timer alone must not.
    this.watchdog.unref();
  }

  /** Times out every request whose deadline passed, then re-arms for the earliest one left. */
  private onWatchdog(): void {
    this.watchdog = null;
    this.watchdogAt = Infinity;
    const now = performance.now();
    let next = Infinity;
    for (const waiter of [...this.waiters]) {
      if (waiter.deadline - now < DEADLINE_SLACK_MS) {
        this.abandon(waiter);
        waiter.reject(this.config.timeoutError());
      } else {
        next = Math.min(next, waiter.deadline);
      }
    }
    if (!this.failure) this.armWatchdog(next);
  }

  private abandon(waiter: Waiter): void {
    const index = this.waiters.indexOf(waiter);
    if (index < 0) return;
    this.waiters.splice(index, 1);
    for (const id of waiter.ids) {
      this.byId.delete(id);
      this.abandoned.add(id);
    }
    // Without IDs a late answer could be taken for the next request's: the stream is unusable.
    if (!this.config.pipelined) {
      this.fail(new TransportError('CONNECTION_CLOSED', `The connection to ${this.config.peer} was closed after a request timed out.`), false);
    }
  }

  private onData(chunk: Buffer): void {
    if (this.failure) return;
    let frames: Buffer[];
    try {
      frames = this.reader.push(chunk);
    } catch (err) {
      this.fail(err instanceof TransportError ? err : new TransportError('MALFORMED_RESPONSE', String(err)), false);
      return;
    }
    for (const frame of frames) {
      if (!this.failure) this.deliver(frame);
      // Decoded (the decoder copied what it returns) or dropped: a response can hold key material.
      frame.fill(0);
    }
  }

  private deliver(frame: Buffer): void {
    let message: TtlvItem;
    try {
      message = decodeTtlv(frame, { maxMessageBytes: this.config.maxMessageBytes });
    } catch (err) {
      const where = err instanceof TtlvError ? ` at byte ${err.offset}: ${err.message}` : `: ${String(err)}`;
      this.config.logger?.debug('kmip.response.malformed', { peer: this.config.peer, bytes: frame.length });
      this.fail(new TransportError('MALFORMED_RESPONSE', `${this.config.peer} sent a response that is not valid TTLV${where}.`, { detail: 'decode failed' }), false);
      return;
    }
    if (this.config.logger) {
      this.config.logger.debug('kmip.response', { peer: this.config.peer, bytes: frame.length, ...describeMessage(message) });
    }
    const waiter = this.waiterFor(message);
    if (waiter === 'late') return;
    if (!waiter) {
      const ids = responseBatchItemIds(message).map((id) => Buffer.from(id).toString('hex'));
      const what = ids.length ? `Unique Batch Item ID(s) ${ids.join(', ')} that match no request in flight` : 'a response no request is waiting for';
      this.fail(new TransportError('MALFORMED_RESPONSE', `${this.config.peer} sent ${what}.`, { detail: 'unmatched response' }), false);
      return;
    }
    this.waiters.splice(this.waiters.indexOf(waiter), 1);
    for (const id of waiter.ids) this.byId.delete(id);
    this.spin.answered(performance.now() - waiter.sentAt);
    waiter.resolve(message);
  }

  private waiterFor(message: TtlvItem): Waiter | 'late' | undefined {
    if (!this.config.pipelined) return this.waiters[0];
    const ids = responseBatchItemIds(message).map(transportIdOf);
    // A server that could not parse a request answers without IDs; unambiguous only with one in flight.
    if (ids.length === 0) return this.waiters.length === 1 ? this.waiters[0] : undefined;
    // Every ID must belong to the same request in flight.
    let owner: Waiter | undefined;
    for (const id of ids) {
      const waiter = id === null ? undefined : this.byId.get(id);
      if (!waiter || (owner && waiter !== owner)) {
        owner = undefined;
        break;
      }
      owner = waiter;
    }
    if (owner) return owner;
    if (ids.every((id) => id !== null && this.abandoned.has(id))) {
      for (const id of ids) if (id !== null) this.abandoned.delete(id);
      return 'late';
    }
    return undefined;
  }

  private onDropped(detail: string | undefined): void {
    if (this.failure) return;
    const partial = this.reader.pendingBytes;
    if (partial > 0) {
      const of = this.reader.expectedBytes ? ` of ${this.reader.expectedBytes}` : '';
      this.fail(
        new TransportError('CONNECTION_CLOSED', `${capitalize(this.config.peer)} closed the connection in the middle of a response (${partial}${of} bytes received).`, {
          detail: detail ?? 'closed mid-message',
        }),
        false,
      );
      return;
    }
    this.fail(new TransportError('CONNECTION_CLOSED', `${capitalize(this.config.peer)} closed the connection.`, { detail: detail ?? 'closed' }), true);
  }

  /** Ends the session once: every request still waiting gets `error` (as a retryable drop when `beforeResponse`). */
  private fail(error: TransportError, beforeResponse: boolean, destroy = true): void {
    if (this.failure) return;
    this.failure = error;
    this.reader.discard();
    if (this.watchdog) clearTimeout(this.watchdog);
    this.watchdog = null;
    if (destroy) this.socket.destroy();
    const waiting = this.waiters.splice(0);
    this.byId.clear();
    for (const waiter of waiting) waiter.reject(beforeResponse ? new DroppedBeforeResponse(error) : error);
    this.config.logger?.debug('kmip.connection.ended', { peer: this.config.peer, code: error.code, reason: error.message });
  }
}
