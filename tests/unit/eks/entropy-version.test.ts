// Which KMIP versions can fetch entropy: rngRetrieveVersionTooLow must agree with the KMIP client's
// own version gate (which refuses RNG Retrieve below 1.2 before sending it), and word its fix by the
// Protocol setting (under auto the server chose the version, so "set auto" is no remedy).
import { describe, expect, it } from 'vitest';
import { rngRetrieveVersionTooLow } from '../../../main/eks/entropy';
import { KMIP_VERSIONS, KmipClient, type KmipSession, type TlsSessionInfo, type TtlvItem } from '../../../main/kmip';
import { CLIENT_OPTIONS, TLS_INFO } from '../kmip/tls-info-fixture';

/** A session that records what is sent and answers nothing. */
class SilentSession implements KmipSession {
  readonly tlsInfo = TLS_INFO;
  sent = 0;
  async open(): Promise<TlsSessionInfo> {
    return TLS_INFO;
  }
  async roundTrip(_request: TtlvItem): Promise<TtlvItem> {
    this.sent += 1;
    throw new Error('sent to the server');
  }
  async close(): Promise<void> {}
}

describe('rngRetrieveVersionTooLow', () => {
  for (const version of KMIP_VERSIONS) {
    it(`agrees with the client's version gate at KMIP ${version}`, async () => {
      const session = new SilentSession();
      const client = await KmipClient.start(session, { ...CLIENT_OPTIONS, protocol: version });
      const tooLow = rngRetrieveVersionTooLow(version, version);
      const outcome = await client.rngRetrieve(48).catch((error: unknown) => error);
      if (tooLow) {
        expect(outcome).toMatchObject({ code: 'KMIP_OPERATION_NOT_IN_VERSION' });
        expect(session.sent).toBe(0);
      } else {
        expect(session.sent).toBe(1);
      }
    });
  }

  it('at a fixed Protocol below 1.2, says to set 1.2 or later, or auto', () => {
    expect(rngRetrieveVersionTooLow('1.1', '1.1')).toEqual({
      status: 'entropy source: unavailable at KMIP 1.1',
      reason: 'RNG Retrieve is offered but needs KMIP 1.2, and Protocol is 1.1',
      fix: 'Set Protocol to 1.2 or later, or to auto, to fetch entropy from the key server; until then keys come from the OS random generator alone.',
    });
  });

  it('under auto, when the server chose 1.0, does not suggest auto', () => {
    const tooLow = rngRetrieveVersionTooLow('1.0', 'auto');
    expect(tooLow?.reason).toBe('RNG Retrieve is offered but needs KMIP 1.2, and the server chose KMIP 1.0 under Protocol auto');
    expect(tooLow?.fix).toBe(
      'Set Protocol to 1.2 or later, if the server supports it, to fetch entropy from the key server; until then keys come from the OS random generator alone.',
    );
  });
});
