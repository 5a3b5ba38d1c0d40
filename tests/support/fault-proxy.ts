// A fault-injecting proxy for tests, between the KMIP client and the real PyKMIP server.
//
// Two layers:
// - TLS terminated (options.tls set, the normal case): the proxy is the TLS server the client talks
//   to (it presents the real server certificate) and opens its own mutually authenticated TLS
//   connection upstream. It sees whole KMIP messages (TTLV frames), so faults are exact: a request
//   is one Request Message, "garbage" and "oversized-length" are TTLV-level answers.
// - Passthrough (no options.tls): plain TCP relay; the unit of a request or response is a TLS
//   application-data record (TLS 1.2), handshake records always pass. Garbage and oversized
//   answers are then TLS-level garbage.
//
// Modes (a fault applies to each request/response unit while the mode is active):
//   pass                  relay both ways
//   drop-before-response  relay the request upstream; when the response comes, close the client
//                         connection without forwarding anything of it
//   drop-mid-response     forward the first half of the response bytes, then close
//   stall                 relay the request upstream; never forward the response
//   garbage               do not relay; answer a response header followed by random bytes
//   oversized-length      do not relay; answer a Response Message header declaring 2 GiB
//   idle-close            relay, but close a client connection idle for idleCloseMs
//
// Independent of the mode, `refuse` (TLS terminated only) makes the server refuse one kind of request
// as a server PyKMIP cannot be would: the proxy answers it with a failed batch item, and relays every
// other request. KMIP_10_SERVER is a KMIP 1.0 server (Discover Versions, added in 1.1, is unknown);
// NO_SYMMETRIC_KEY_REGISTER a server that does not take a Symmetric Key in Register.
import { randomBytes } from 'node:crypto';
import { createServer as createTcpServer, connect as tcpConnect, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, connect as tlsConnect } from 'node:tls';
import { ItemType, ObjectType, Operation, ResultReason, ResultStatus, Tag, decodeTtlv, encodeTtlv, type TtlvItem } from '../../main/kmip';

export const FAULT_MODES = [
  'pass',
  'drop-before-response',
  'drop-mid-response',
  'stall',
  'garbage',
  'oversized-length',
  'idle-close',
] as const;
export type FaultMode = (typeof FAULT_MODES)[number];

export interface FaultProxyTls {
  /** What the proxy presents to the client (use the real server's certificate and key). */
  serverCert: Buffer;
  serverKey: Buffer;
  /** CA the upstream server certificate is checked against. */
  ca: Buffer;
  /** Identity the proxy uses towards the upstream server. */
  upstreamClientCert: Buffer;
  upstreamClientKey: Buffer;
}

export interface FaultProxyOptions {
  upstreamHost: string;
  upstreamPort: number;
  mode?: FaultMode;
  /** For 'idle-close': how long a client connection may stay idle. Default 500 ms. */
  idleCloseMs?: number;
  /** Terminate TLS (KMIP-level faults); omit for a TCP passthrough (TLS-record-level faults). */
  tls?: FaultProxyTls;
  /** Requests the proxy answers with a refusal instead of relaying them (needs tls). */
  refuse?: RefusalRule;
}

export interface RefusalRule {
  /** the refused request's Operation */
  operation: number;
  /** only requests whose payload has this Object Type (Register, Create) */
  objectType?: number;
  /** Result Status of the answer; Operation Failed when absent */
  status?: number;
  /** Result Reason of the refusal */
  reason: number;
  message: string;
  /** protocol version of the answer's header; the request's when absent */
  protocolVersion?: { major: number; minor: number };
}

export const KMIP_10_SERVER: RefusalRule = {
  operation: Operation.DiscoverVersions,
  reason: ResultReason.OperationNotSupported,
  message: 'Operation not supported by this KMIP 1.0 server',
  protocolVersion: { major: 1, minor: 0 },
};

export const NO_SYMMETRIC_KEY_REGISTER: RefusalRule = {
  operation: Operation.Register,
  objectType: ObjectType.SymmetricKey,
  reason: ResultReason.InvalidField,
  message: 'This server does not register Symmetric Keys',
};

/** A Response Message header (tag 42007B, Structure) declaring a 2 GiB body. */
export const OVERSIZED_RESPONSE_HEADER = Buffer.from('42007b0180000000', 'hex');
const GARBAGE_BODY_BYTES = 64;
const TLS_APPLICATION_DATA = 23;

interface Unit {
  bytes: Buffer;
  /** true for a KMIP message (TTLV frame) or a TLS application-data record. */
  payload: boolean;
}

/** The fields of a Structure; none for anything else or nothing. */
export function children(item: TtlvItem | undefined): TtlvItem[] {
  return item?.type === ItemType.Structure ? item.value : [];
}

/** The first field of a Structure with this tag. */
export function child(item: TtlvItem | undefined, tag: number): TtlvItem | undefined {
  return children(item).find((c) => c.tag === tag);
}

/**
 * A one-item Response Message answering a request's first batch item: the request's protocol version
 * (or `protocolVersion`), its Operation and Unique Batch Item ID, then `results` (Result Status and on).
 */
export function answerTo(request: TtlvItem, results: TtlvItem[], protocolVersion?: TtlvItem): TtlvItem {
  const version = protocolVersion ?? child(child(request, Tag.RequestHeader), Tag.ProtocolVersion);
  if (!version) throw new Error('the request has no Protocol Version to answer in');
  const fields = children(child(request, Tag.BatchItem));
  const echoed = [Tag.Operation, Tag.UniqueBatchItemID].flatMap((tag) => fields.filter((field) => field.tag === tag));
  return {
    tag: Tag.ResponseMessage,
    type: ItemType.Structure,
    value: [
      {
        tag: Tag.ResponseHeader,
        type: ItemType.Structure,
        value: [
          version,
          { tag: Tag.TimeStamp, type: ItemType.DateTime, value: BigInt(Math.floor(Date.now() / 1000)) },
          { tag: Tag.BatchCount, type: ItemType.Integer, value: 1 },
        ],
      },
      { tag: Tag.BatchItem, type: ItemType.Structure, value: [...echoed, ...results] },
    ],
  };
}

/** The Operation of a Request Message's first batch item, or undefined. */
function operationOf(request: Buffer): number | undefined {
  const operation = child(child(decodeTtlv(request), Tag.BatchItem), Tag.Operation);
  return operation?.type === ItemType.Enumeration ? operation.value : undefined;
}

/** The answer `rule` gives to `request`, or null when the rule does not apply to it. */
function refusalOf(rule: RefusalRule, request: Buffer): Buffer | null {
  const message = decodeTtlv(request);
  const batchItem = child(message, Tag.BatchItem);
  const operation = child(batchItem, Tag.Operation);
  if (operation?.type !== ItemType.Enumeration || operation.value !== rule.operation) return null;
  if (rule.objectType !== undefined) {
    const objectType = child(child(batchItem, Tag.RequestPayload), Tag.ObjectType);
    if (objectType?.type !== ItemType.Enumeration || objectType.value !== rule.objectType) return null;
  }
  // not a request this rule can answer in kind: the server will refuse it
  if (!child(child(message, Tag.RequestHeader), Tag.ProtocolVersion)) return null;
  const integer = (tag: number, value: number): TtlvItem => ({ tag, type: ItemType.Integer, value });
  const enumeration = (tag: number, value: number): TtlvItem => ({ tag, type: ItemType.Enumeration, value });
  const version: TtlvItem | undefined = rule.protocolVersion && {
    tag: Tag.ProtocolVersion,
    type: ItemType.Structure,
    value: [integer(Tag.ProtocolVersionMajor, rule.protocolVersion.major), integer(Tag.ProtocolVersionMinor, rule.protocolVersion.minor)],
  };
  return encodeTtlv(
    answerTo(
      message,
      [
        enumeration(Tag.ResultStatus, rule.status ?? ResultStatus.OperationFailed),
        enumeration(Tag.ResultReason, rule.reason),
        { tag: Tag.ResultMessage, type: ItemType.TextString, value: rule.message },
      ],
      version,
    ),
  );
}

/** Splits a byte stream into TTLV frames (8-byte header + length) or TLS records (5 + length). */
class UnitSplitter {
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly framing: 'ttlv' | 'tls-record') {}

  push(chunk: Buffer): Unit[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const units: Unit[] = [];
    for (;;) {
      const headerBytes = this.framing === 'ttlv' ? 8 : 5;
      if (this.pending.length < headerBytes) break;
      const bodyBytes = this.framing === 'ttlv' ? this.pending.readUInt32BE(4) : this.pending.readUInt16BE(3);
      const total = headerBytes + bodyBytes;
      if (this.pending.length < total) break;
      const bytes = this.pending.subarray(0, total);
      this.pending = this.pending.subarray(total);
      units.push({ bytes, payload: this.framing === 'ttlv' || bytes[0] === TLS_APPLICATION_DATA });
    }
    return units;
  }
}

/** One client connection through the proxy. */
export class ProxyConnection {
  /** Overrides the proxy's mode for this connection only. */
  mode: FaultMode | undefined;
  closed = false;
  private idleTimer: NodeJS.Timeout | undefined;
  /** The mode each request in flight was received under, so its response gets the same one. */
  private readonly inFlightModes: FaultMode[] = [];

  constructor(
    private readonly proxy: FaultProxy,
    private readonly client: Socket,
    private readonly upstream: Socket,
    framing: 'ttlv' | 'tls-record',
  ) {
    const fromClient = new UnitSplitter(framing);
    const fromUpstream = new UnitSplitter(framing);
    client.on('data', (chunk: Buffer) => {
      this.touch();
      for (const unit of fromClient.push(chunk)) this.onClientUnit(unit);
    });
    upstream.on('data', (chunk: Buffer) => {
      this.touch();
      for (const unit of fromUpstream.push(chunk)) this.onUpstreamUnit(unit);
    });
    for (const socket of [client, upstream]) {
      socket.on('error', () => this.close());
      socket.on('close', () => this.close());
    }
    this.touch();
  }

  private get activeMode(): FaultMode {
    return this.mode ?? this.proxy.mode;
  }

  private onClientUnit(unit: Unit): void {
    if (this.closed) return;
    if (!unit.payload) {
      this.upstream.write(unit.bytes);
      return;
    }
    this.proxy.stats.requestsReceived++;
    const rule = this.proxy.refusalRule;
    const refusal = rule ? refusalOf(rule, unit.bytes) : null;
    if (refusal) {
      this.client.write(refusal);
      return;
    }
    const mode = this.mode ?? this.proxy.modeForNextRequest(unit.bytes);
    if (mode === 'garbage' || mode === 'oversized-length') {
      this.proxy.faultFired(mode);
      const header = this.upstreamIsTls() ? Buffer.from('42007b0100000040', 'hex') : Buffer.alloc(0);
      this.client.write(
        mode === 'garbage' ? Buffer.concat([header, randomBytes(GARBAGE_BODY_BYTES)]) : this.oversizedAnswer(),
      );
      return;
    }
    this.proxy.stats.requestsForwarded++;
    this.inFlightModes.push(mode);
    this.upstream.write(unit.bytes);
  }

  private onUpstreamUnit(unit: Unit): void {
    if (this.closed) return;
    if (!unit.payload) {
      this.client.write(unit.bytes);
      return;
    }
    // TLS passthrough may split a response over several records: later ones follow the current mode.
    const mode = this.inFlightModes.shift() ?? this.activeMode;
    switch (mode) {
      case 'drop-before-response':
        this.proxy.faultFired(mode);
        this.close();
        return;
      case 'drop-mid-response': {
        this.proxy.faultFired(mode);
        const half = unit.bytes.subarray(0, Math.max(1, Math.floor(unit.bytes.length / 2)));
        this.client.write(half, () => setTimeout(() => this.close(), 20));
        return;
      }
      case 'stall':
        this.proxy.faultFired(mode);
        return;
      default:
        this.proxy.stats.responsesForwarded++;
        this.client.write(unit.bytes);
    }
  }

  private upstreamIsTls(): boolean {
    return this.proxy.terminatesTls;
  }

  private oversizedAnswer(): Buffer {
    // TLS-record level: a record header declaring more than TLS allows.
    return this.upstreamIsTls() ? OVERSIZED_RESPONSE_HEADER : Buffer.from('170303ffff', 'hex');
  }

  private touch(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    if (this.closed || this.activeMode !== 'idle-close') return;
    this.idleTimer = setTimeout(() => {
      if (this.activeMode !== 'idle-close' || this.closed) return;
      this.proxy.faultFired('idle-close');
      // Like a load balancer's idle timeout: an orderly close from the server side.
      this.client.end();
      this.upstream.end();
      setTimeout(() => this.close(), 200);
    }, this.proxy.idleCloseMs);
  }

  /** Re-arms the idle timer after a mode change. */
  refresh(): void {
    this.touch();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.client.destroy();
    this.upstream.destroy();
  }
}

export interface FaultProxyStats {
  connections: number;
  /** Request units received from clients. */
  requestsReceived: number;
  /** Request units relayed to the upstream server ("requests seen upstream"). */
  requestsForwarded: number;
  responsesForwarded: number;
  /** How many times each fault was applied. */
  faults: Record<FaultMode, number>;
}

export class FaultProxy {
  readonly host = '127.0.0.1';
  port = 0;
  idleCloseMs: number;
  readonly stats: FaultProxyStats = {
    connections: 0,
    requestsReceived: 0,
    requestsForwarded: 0,
    responsesForwarded: 0,
    faults: Object.fromEntries(FAULT_MODES.map((mode) => [mode, 0])) as Record<FaultMode, number>,
  };
  readonly connections: ProxyConnection[] = [];
  private currentMode: FaultMode;
  private remainingFaults = Infinity;
  private requestsBeforeFault = 0;
  private faultOperation: number | undefined;
  private readonly server: Server;

  private constructor(private readonly options: FaultProxyOptions) {
    if (options.refuse && !options.tls) throw new Error('fault proxy: refuse needs TLS termination (tls)');
    this.currentMode = options.mode ?? 'pass';
    this.idleCloseMs = options.idleCloseMs ?? 500;
    this.server = options.tls
      ? createTlsServer(
          {
            cert: options.tls.serverCert,
            key: options.tls.serverKey,
            minVersion: 'TLSv1.2',
            maxVersion: 'TLSv1.2',
          },
          (client) => this.accept(client),
        )
      : createTcpServer((client) => this.accept(client));
  }

  static async start(options: FaultProxyOptions): Promise<FaultProxy> {
    const proxy = new FaultProxy(options);
    await new Promise<void>((resolve, reject) => {
      proxy.server.once('error', reject);
      proxy.server.listen(0, proxy.host, () => resolve());
    });
    const address = proxy.server.address();
    if (address === null || typeof address === 'string') throw new Error('fault proxy: no TCP address');
    proxy.port = address.port;
    return proxy;
  }

  get terminatesTls(): boolean {
    return this.options.tls !== undefined;
  }

  get refusalRule(): RefusalRule | undefined {
    return this.options.refuse;
  }

  get mode(): FaultMode {
    return this.currentMode;
  }

  /**
   * Switches every connection without its own override. `afterRequests`: that many requests still
   * pass first (to hit a later step of a workflow); `times`: after that many faults, back to 'pass'.
   */
  setMode(mode: FaultMode, options: { times?: number; afterRequests?: number; operation?: number } = {}): void {
    if (options.operation !== undefined && !this.options.tls) throw new Error('fault proxy: a fault by operation needs TLS termination (tls)');
    this.currentMode = mode;
    this.remainingFaults = options.times ?? Infinity;
    this.requestsBeforeFault = options.afterRequests ?? 0;
    this.faultOperation = options.operation;
    for (const connection of this.connections) connection.refresh();
  }

  /** The mode `request` (a whole Request Message when TLS is terminated) is handled under. */
  modeForNextRequest(request: Buffer): FaultMode {
    // `operation`: only requests of that operation meet the fault (and count towards afterRequests).
    if (this.faultOperation !== undefined && operationOf(request) !== this.faultOperation) return 'pass';
    if (this.requestsBeforeFault > 0) {
      this.requestsBeforeFault--;
      return 'pass';
    }
    return this.currentMode;
  }

  /** Called by connections each time a fault is applied. */
  faultFired(mode: FaultMode): void {
    this.stats.faults[mode]++;
    if (mode === this.currentMode && --this.remainingFaults <= 0) {
      this.currentMode = 'pass';
      this.remainingFaults = Infinity;
    }
  }

  private accept(client: Socket): void {
    this.stats.connections++;
    client.pause();
    const tls = this.options.tls;
    const upstream = tls
      ? tlsConnect({
          host: this.options.upstreamHost,
          port: this.options.upstreamPort,
          ca: tls.ca,
          cert: tls.upstreamClientCert,
          key: tls.upstreamClientKey,
          minVersion: 'TLSv1.2',
        })
      : tcpConnect({ host: this.options.upstreamHost, port: this.options.upstreamPort });
    const connection = new ProxyConnection(this, client, upstream, tls ? 'ttlv' : 'tls-record');
    this.connections.push(connection);
    upstream.once(tls ? 'secureConnect' : 'connect', () => client.resume());
  }

  /** Closes the listener and every open connection. */
  async stop(): Promise<void> {
    for (const connection of this.connections) connection.close();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
