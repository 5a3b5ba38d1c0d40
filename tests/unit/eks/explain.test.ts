// explain(): what a step shows for a failure. An unexpected one never includes a Node.js error's
// message, which quotes the value it refused (it could be a secret); a timeout's fix fits its phase.
import { describe, expect, it } from 'vitest';
import { explain } from '../../../main/eks';
import { TransportError } from '../../../main/kmip';

describe('explain', () => {
  it('names a Node.js error by its code only', () => {
    const refused = Object.assign(new TypeError("The argument 'flags' is invalid. Received 'hunter2'"), { code: 'ERR_INVALID_ARG_VALUE' });
    const explanation = explain(refused);
    expect(explanation.code).toBe('INTERNAL');
    expect(explanation.detail).toBe("Internal error: ERR_INVALID_ARG_VALUE (Node.js's message is not shown: it can quote the value it refused)");
  });

  it('keeps the message of any other unexpected error, for the bug report', () => {
    expect(explain(new Error('store header lacks a field')).detail).toBe('Internal error: store header lacks a field');
  });

  it('gives a TLS handshake timeout (TCP connected) a fix about the port, not about dropped packets', () => {
    const handshake = explain(new TransportError('CONNECT_TIMEOUT', 'The TLS handshake … although TCP connected.', { field: 'timeout', detail: 'handshake' }));
    expect(handshake.fix).toMatch(/does not speak TLS in time: check that Port is the key server's KMIP port/);
    expect(handshake.fix).not.toMatch(/firewall/i);
    expect(explain(new TransportError('CONNECT_TIMEOUT', 'No TCP connection …', { field: 'timeout', detail: 'connect' })).fix).toMatch(/firewall/);
  });
});
