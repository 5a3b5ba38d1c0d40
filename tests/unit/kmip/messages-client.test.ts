// KmipClient's own logic (negotiation, version gates, batch IDs, idempotency flags) over a session
// that replays recorded server answers; the real server is exercised in tests/integration/kmip.
import { describe, expect, it } from 'vitest';
import { ItemType, Operation, Tag, type TtlvItem } from '../../../main/kmip/ttlv';
import { KmipClient, KmipOperationError, KmipVersionError, type KmipClientOptions, type KmipSession } from '../../../main/kmip';
import type { TlsSessionInfo } from '../../../main/kmip/transport';
import { comparable, vector } from './messages-fixtures';
import { CLIENT_OPTIONS, TLS_INFO } from './tls-info-fixture';

class ReplaySession implements KmipSession {
  readonly sent: Array<{ request: TtlvItem; idempotent: boolean }> = [];
  closed = false;
  readonly tlsInfo = TLS_INFO;

  constructor(private readonly answers: TtlvItem[]) {}

  async open(): Promise<TlsSessionInfo> {
    return TLS_INFO;
  }

  async roundTrip(request: TtlvItem, opts: { idempotent: boolean }): Promise<TtlvItem> {
    this.sent.push({ request, idempotent: opts.idempotent });
    const answer = this.answers.shift();
    if (!answer) throw new Error('no recorded answer left');
    return answer;
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

function field(item: TtlvItem, ...path: number[]): TtlvItem {
  let current = item;
  for (const tag of path) {
    if (current.type !== ItemType.Structure) throw new Error('not a structure');
    const next = current.value.find((child) => child.tag === tag);
    if (!next) throw new Error(`missing ${tag.toString(16)}`);
    current = next;
  }
  return current;
}

function versionText(version: TtlvItem): string {
  const major = field(version, Tag.ProtocolVersionMajor);
  const minor = field(version, Tag.ProtocolVersionMinor);
  return `${String(major.value)}.${String(minor.value)}`;
}

const headerVersion = (request: TtlvItem): unknown => comparable(field(request, Tag.RequestHeader, Tag.ProtocolVersion));

/** A failed Discover Versions answer from a 1.0 server. */
function refusedDiscover(reason: number): TtlvItem {
  const item = vector('pykmip-invalid-message-response');
  if (item.type !== ItemType.Structure) throw new Error('vector is not a structure');
  return {
    ...item,
    value: item.value.map((child) =>
      child.tag === Tag.BatchItem && child.type === ItemType.Structure
        ? {
            ...child,
            value: [
              { tag: Tag.Operation, type: ItemType.Enumeration, value: Operation.DiscoverVersions },
              ...child.value.map((f) => (f.tag === Tag.ResultReason ? { ...f, value: reason } : f)),
            ],
          }
        : child,
    ),
  } as TtlvItem;
}

describe('KmipClient version negotiation', () => {
  it('auto: offers 2.1 … 1.0 under a 1.1 header and takes the server first choice', async () => {
    const session = new ReplaySession([vector('pykmip010-discover-versions-response')]);
    const client = await KmipClient.start(session, CLIENT_OPTIONS);
    expect(client.version).toBe('2.0');
    const [discover] = session.sent;
    expect(discover?.idempotent).toBe(true);
    expect(headerVersion(discover!.request)).toEqual({
      ProtocolVersion: [{ ProtocolVersionMajor: ['Integer', 1] }, { ProtocolVersionMinor: ['Integer', 1] }],
    });
    const offered = field(discover!.request, Tag.BatchItem, Tag.RequestPayload);
    const versions = offered.type === ItemType.Structure ? offered.value.map(versionText) : [];
    expect(versions).toEqual(['2.1', '2.0', '1.4', '1.3', '1.2', '1.1', '1.0']);
    expect(client.tlsInfo.protocol).toBe('TLSv1.2');
  });

  it.each([
    ['Operation Not Supported', 0x05],
    ['Invalid Message', 0x04],
  ])('auto: %s from the server means KMIP 1.0', async (_name, reason) => {
    const session = new ReplaySession([refusedDiscover(reason), vector('pykmip010-query-response')]);
    const client = await KmipClient.start(session, CLIENT_OPTIONS);
    expect(client.version).toBe('1.0');
    await client.query();
    expect(headerVersion(session.sent[1]!.request)).toEqual({
      ProtocolVersion: [{ ProtocolVersionMajor: ['Integer', 1] }, { ProtocolVersionMinor: ['Integer', 0] }],
    });
  });

  it('auto: an empty successful answer is "no common version", and the connection is closed', async () => {
    const session = new ReplaySession([vector('nlnetlabs-tc161-discover-versions-unknown-response')]);
    const error = await KmipClient.start(session, CLIENT_OPTIONS).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KmipVersionError);
    expect(error).toMatchObject({ code: 'KMIP_NO_COMMON_VERSION' });
    expect((error as Error).message).toContain('2.1, 2.0, 1.4, 1.3, 1.2, 1.1, 1.0');
    expect(session.closed).toBe(true);
  });

  it('auto: another failure of Discover Versions is reported as is', async () => {
    const session = new ReplaySession([refusedDiscover(0x0c)]);
    await expect(KmipClient.start(session, CLIENT_OPTIONS)).rejects.toMatchObject({ resultReason: 'PermissionDenied' });
    expect(session.closed).toBe(true);
  });

  it('fixed protocol: no Discover Versions, every request under that version', async () => {
    const session = new ReplaySession([vector('pykmip010-get-aes256-response')]);
    const client = await KmipClient.start(session, { ...CLIENT_OPTIONS, protocol: '1.2' });
    expect(session.sent).toHaveLength(0);
    expect(client.version).toBe('1.2');
    const key = await client.get('2');
    expect(key.keyBytes).toHaveLength(32);
    expect(headerVersion(session.sent[0]!.request)).toEqual({
      ProtocolVersion: [{ ProtocolVersionMajor: ['Integer', 1] }, { ProtocolVersionMinor: ['Integer', 2] }],
    });
  });
});

describe('KmipClient options', () => {
  it('refuses a Protocol that is no KMIP version before connecting', async () => {
    const session = new ReplaySession([]);
    const options = { ...CLIENT_OPTIONS, protocol: '3.0' } as unknown as KmipClientOptions;
    await expect(KmipClient.start(session, options)).rejects.toMatchObject({ code: 'KMIP_INVALID_ARGUMENT' });
  });

  it('reports invalid connection options through the returned promise', async () => {
    await expect(KmipClient.connect({ ...CLIENT_OPTIONS, port: 0 }).catch((e: unknown) => e)).resolves.toMatchObject({ code: 'INVALID_OPTIONS' });
  });
});

describe('KmipClient requests', () => {
  it('refuses operations the version lacks without sending anything', async () => {
    const session = new ReplaySession([]);
    const client = await KmipClient.start(session, { ...CLIENT_OPTIONS, protocol: '1.0' });
    await expect(client.rngRetrieve(32)).rejects.toThrow(/RNG Retrieve is not defined in KMIP 1\.0/);
    await expect(client.discoverVersions()).rejects.toMatchObject({ code: 'KMIP_OPERATION_NOT_IN_VERSION' });
    await expect(client.locate({ name: 'k', offsetItems: 1 })).rejects.toBeInstanceOf(KmipVersionError);
    expect(session.sent).toHaveLength(0);
  });

  it('gives every batch item its own Unique Batch Item ID and flags idempotency per operation', async () => {
    const session = new ReplaySession([
      vector('pykmip010-create-aes256-named-response'),
      vector('pykmip010-get-aes256-response'),
      vector('pykmip010-activate-response'),
    ]);
    const client = await KmipClient.start(session, { ...CLIENT_OPTIONS, protocol: '1.2' });
    await client.createAesKey({ length: 256, name: 'admin-key' });
    await client.get('2');
    await client.activate('2');
    const ids = session.sent.map(({ request }) => {
      const id = field(request, Tag.BatchItem, Tag.UniqueBatchItemID);
      return id.type === ItemType.ByteString ? Buffer.from(id.value).toString('hex') : '';
    });
    expect(new Set(ids).size).toBe(3);
    expect(session.sent.map((s) => s.idempotent)).toEqual([false, true, false]);
  });

  it('sends the credential in every request header', async () => {
    const session = new ReplaySession([vector('pykmip010-discover-versions-response'), vector('pykmip010-query-response')]);
    const client = await KmipClient.start(session, { ...CLIENT_OPTIONS, credentials: { username: 'alice', password: 'pw' } });
    await client.query();
    for (const { request } of session.sent) {
      expect(comparable(field(request, Tag.RequestHeader, Tag.Authentication, Tag.Credential, Tag.CredentialValue))).toEqual({
        CredentialValue: [{ Username: ['TextString', 'alice'] }, { Password: ['TextString', 'pw'] }],
      });
    }
  });

  it('turns a failed item into KmipOperationError and refuses use after close', async () => {
    const session = new ReplaySession([vector('pykmip010-get-missing-response')]);
    const client = await KmipClient.start(session, { ...CLIENT_OPTIONS, protocol: '1.2' });
    await expect(client.get('999999')).rejects.toBeInstanceOf(KmipOperationError);
    await client.close();
    expect(session.closed).toBe(true);
    await expect(client.query()).rejects.toMatchObject({ code: 'KMIP_CLIENT_CLOSED' });
  });
});
