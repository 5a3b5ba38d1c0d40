// KmipClient builds a request's header once per KMIP version and reuses it: what every request carries
// must still be right (credentials on each, a fresh Time Stamp on each when Time Stamps are sent).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { KmipClient, type KmipClientOptions, type KmipSession } from '../../../main/kmip';
import { ItemType, Tag, type TtlvItem } from '../../../main/kmip/ttlv';
import { vector } from './messages-fixtures';
import { CLIENT_OPTIONS, TLS_INFO } from './tls-info-fixture';

/** Records every request and answers each with the same Get response. */
function recordingSession(): KmipSession & { sent: TtlvItem[] } {
  const sent: TtlvItem[] = [];
  return {
    sent,
    tlsInfo: TLS_INFO,
    open: async () => TLS_INFO,
    roundTrip: async (request) => {
      sent.push(request);
      return vector('pykmip010-get-aes256-response');
    },
    close: async () => undefined,
  };
}

const OPTIONS: KmipClientOptions = { ...CLIENT_OPTIONS, protocol: '1.2' };

function headerField(request: TtlvItem, tag: number): TtlvItem | undefined {
  const header = request.type === ItemType.Structure ? request.value.find((item) => item.tag === Tag.RequestHeader) : undefined;
  return header?.type === ItemType.Structure ? header.value.find((item) => item.tag === tag) : undefined;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('KmipClient request header', () => {
  it('sends a Time Stamp of the moment of each request, not of the first one', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-29T10:00:00Z'));
    const session = recordingSession();
    const client = await KmipClient.start(session, { ...OPTIONS, sendTimeStamp: true });
    await client.get('2');
    vi.setSystemTime(new Date('2026-11-29T10:00:05Z'));
    await client.get('2');
    const stamps = session.sent.map((request) => headerField(request, Tag.TimeStamp)?.value);
    expect(stamps).toEqual([BigInt(Date.parse('2026-11-29T10:00:00Z') / 1000), BigInt(Date.parse('2026-11-29T10:00:05Z') / 1000)]);
  });

  it('carries the credentials and Maximum Response Size on every request, and no Time Stamp unless asked', async () => {
    const session = recordingSession();
    const client = await KmipClient.start(session, { ...OPTIONS, credentials: { username: 'operator', password: 'pw' }, maxResponseSize: 4096 });
    await client.get('2');
    await client.get('2');
    for (const request of session.sent) {
      expect(headerField(request, Tag.Authentication)).toBeDefined();
      expect(headerField(request, Tag.MaximumResponseSize)?.value).toBe(4096);
      expect(headerField(request, Tag.TimeStamp)).toBeUndefined();
      expect(headerField(request, Tag.BatchCount)?.value).toBe(1);
    }
  });
});
