// KmipClient: one negotiated KMIP session over one transport connection.

import type { TtlvItem } from './ttlv/types';
import { KmipConnection, type ConnectionOptions, type TlsSessionInfo } from './transport';
import { counterBatchItemId } from './transport/batch-ids';
import { expectSuccess, parseResponseMessage, requestHeader, requestMessage, type RequestBatchItem, type UsernamePasswordCredential } from './messages/envelope';
import { KmipArgumentError, KmipClientClosedError, KmipOperationError, KmipResponseError, KmipVersionError } from './messages/errors';
import type { KmipOperation } from './messages/operation';
import { createAesKey, type CreateAesKeyOptions, type CreatedObject } from './messages/operations/create';
import { discoverVersions } from './messages/operations/discover-versions';
import { get, type KmipKeyObject } from './messages/operations/get';
import { getAttributes, type GetAttributesResult } from './messages/operations/get-attributes';
import { activate, destroy, revoke, type RevocationReason } from './messages/operations/lifecycle';
import { locate, type LocateOptions, type LocateResult } from './messages/operations/locate';
import { query, type QueryOptions, type QueryResult } from './messages/operations/query';
import {
  registerSecretData,
  registerSymmetricKey,
  type RegisterSecretDataOptions,
  type RegisterSymmetricKeyOptions,
} from './messages/operations/register';
import { rngRetrieve } from './messages/operations/rng-retrieve';
import {
  KMIP_VERSIONS,
  formatProtocolVersion,
  isKmipVersion,
  requireVersion,
  toProtocolVersion,
  type KmipVersion,
} from './messages/versions';

/**
 * A client's options, read when it starts and fixed for its life (the connection and the request
 * header are built from them once): to change one, start a new client.
 */
export type KmipClientOptions = ConnectionOptions & {
  /** 'auto' negotiates with Discover Versions; a version number is used as is, without negotiation. */
  protocol: 'auto' | KmipVersion;
  /** Sent as a Username and Password credential in every request header when set. */
  credentials?: UsernamePasswordCredential;
  /** Maximum Response Size sent in every request header when set. */
  maxResponseSize?: number;
  /** Send the current time as the header Time Stamp (PyKMIP refuses one ahead of its clock or 60 s behind). */
  sendTimeStamp?: boolean;
};

/** What KmipClient needs of a connection; KmipConnection is the real one. */
export type KmipSession = Pick<KmipConnection, 'open' | 'roundTrip' | 'close' | 'tlsInfo'>;

/** Discover Versions is defined from 1.1, so negotiation is sent under a 1.1 header. */
const NEGOTIATION_HEADER_VERSION: KmipVersion = '1.1';

export class KmipClient {
  private lastBatchItemId = 0;
  private closed = false;
  /** The Request Header of the version in use, built once (none is kept while Time Stamps are sent). */
  private header: { version: KmipVersion; item: TtlvItem } | null = null;

  private constructor(
    private readonly connection: KmipSession,
    private readonly firstTlsInfo: TlsSessionInfo,
    private readonly options: KmipClientOptions,
    private negotiated: KmipVersion,
  ) {}

  /** Opens the connection and settles the protocol version. The connection is closed again on failure. */
  static async connect(options: KmipClientOptions): Promise<KmipClient> {
    return KmipClient.start(new KmipConnection(options), options);
  }

  /** Like connect(), over a given session (a KmipConnection, or a stand-in in unit tests). */
  static async start(connection: KmipSession, options: KmipClientOptions): Promise<KmipClient> {
    if (options.protocol !== 'auto' && !isKmipVersion(options.protocol)) {
      throw new KmipArgumentError(`Protocol "${String(options.protocol)}" is not a KMIP version: use auto or one of ${KMIP_VERSIONS.join(', ')}.`);
    }
    const tlsInfo = await connection.open();
    const initial = options.protocol === 'auto' ? NEGOTIATION_HEADER_VERSION : options.protocol;
    const client = new KmipClient(connection, tlsInfo, options, initial);
    if (options.protocol === 'auto') {
      try {
        client.negotiated = await client.negotiate();
      } catch (error) {
        await client.close();
        throw error;
      }
    }
    return client;
  }

  /** TLS details of the current connection (protocol, cipher, peer certificate, ...), updated on reconnect. */
  get tlsInfo(): TlsSessionInfo {
    return this.connection.tlsInfo ?? this.firstTlsInfo;
  }

  /** The KMIP version every request of this session is sent with. */
  get version(): KmipVersion {
    return this.negotiated;
  }

  /**
   * Offers every version this client speaks, highest first, and takes the server's first choice.
   * A 1.0 server knows no Discover Versions: it answers Operation Not Supported or, like PyKMIP
   * for messages it cannot parse, Invalid Message; both mean 1.0.
   */
  private async negotiate(): Promise<KmipVersion> {
    let offeredBack: string[];
    try {
      offeredBack = await this.discoverVersions([...KMIP_VERSIONS]);
    } catch (error) {
      if (
        error instanceof KmipOperationError &&
        (error.resultReason === 'OperationNotSupported' || error.resultReason === 'InvalidMessage')
      ) {
        return '1.0';
      }
      throw error;
    }
    const chosen = offeredBack[0];
    if (chosen === undefined) {
      throw new KmipVersionError(
        'KMIP_NO_COMMON_VERSION',
        `The server supports none of the KMIP versions offered (${KMIP_VERSIONS.join(', ')}): it cannot be used by this client.`,
      );
    }
    if (!isKmipVersion(chosen)) {
      throw new KmipResponseError(`The server chose KMIP ${chosen}, which was not offered (${KMIP_VERSIONS.join(', ')}).`);
    }
    return chosen;
  }

  /** The versions among `versions` (all this client speaks by default) that the server supports, its preferred first. */
  async discoverVersions(versions: KmipVersion[] = [...KMIP_VERSIONS]): Promise<string[]> {
    const result = await this.run(discoverVersions, { versions: versions.map(toProtocolVersion) });
    return result.map(formatProtocolVersion);
  }

  query(options: QueryOptions = {}): Promise<QueryResult> {
    return this.run(query, options);
  }

  rngRetrieve(length: number): Promise<Uint8Array> {
    return this.run(rngRetrieve, { length });
  }

  createAesKey(options: CreateAesKeyOptions): Promise<CreatedObject> {
    return this.run(createAesKey, options);
  }

  registerSymmetricKey(options: RegisterSymmetricKeyOptions): Promise<CreatedObject> {
    return this.run(registerSymmetricKey, options);
  }

  registerSecretData(options: RegisterSecretDataOptions): Promise<CreatedObject> {
    return this.run(registerSecretData, options);
  }

  async activate(uniqueIdentifier: string): Promise<void> {
    await this.run(activate, { uniqueIdentifier });
  }

  locate(options: LocateOptions): Promise<LocateResult> {
    return this.run(locate, options);
  }

  get(uniqueIdentifier: string, options: { keyFormatType?: number } = {}): Promise<KmipKeyObject> {
    return this.run(get, { uniqueIdentifier, ...options });
  }

  getAttributes(uniqueIdentifier: string, attributeNames?: string[]): Promise<GetAttributesResult> {
    return this.run(getAttributes, { uniqueIdentifier, attributeNames });
  }

  async revoke(
    uniqueIdentifier: string,
    reason: RevocationReason,
    details: { message?: string; compromiseOccurrenceDate?: Date } = {},
  ): Promise<void> {
    await this.run(revoke, { uniqueIdentifier, reason, ...details });
  }

  async destroy(uniqueIdentifier: string): Promise<void> {
    await this.run(destroy, { uniqueIdentifier });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.connection.close();
  }

  private async run<Args, Result>(operation: KmipOperation<Args, Result>, args: Args): Promise<Result> {
    if (this.closed) throw new KmipClientClosedError();
    const version = this.negotiated;
    requireVersion(version, operation.since, operation.name);
    const batchItem: RequestBatchItem = {
      operation: operation.code,
      uniqueBatchItemId: this.nextBatchItemId(),
      payload: operation.buildPayload(args, version),
    };
    const request = requestMessage(this.requestHeader(version), [batchItem]);
    const response: TtlvItem = await this.connection.roundTrip(request, { idempotent: operation.idempotent });
    // Idempotent operations here are the ones that only read (Register, Create and the lifecycle ones are not).
    const payload = expectSuccess(parseResponseMessage(response), batchItem, { readOnly: operation.idempotent });
    return operation.parseResponse(payload, args, version);
  }

  /** The Request Header of a one-item request under `version`. */
  private requestHeader(version: KmipVersion): TtlvItem {
    const { credentials, maxResponseSize, sendTimeStamp } = this.options;
    if (sendTimeStamp) return requestHeader({ version, credentials, maxResponseSize, timeStamp: new Date() }, 1);
    if (this.header?.version !== version) this.header = { version, item: requestHeader({ version, credentials, maxResponseSize }, 1) };
    return this.header.item;
  }

  /** 8-byte big-endian counter: unique on this connection, so pipelined responses can be matched. */
  private nextBatchItemId(): Uint8Array {
    this.lastBatchItemId += 1;
    return counterBatchItemId(this.lastBatchItemId);
  }
}
