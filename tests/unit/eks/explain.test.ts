// explain(): what a step shows for an unexpected failure never includes a Node.js error's message,
// which quotes the value it refused (it could be a secret).
import { describe, expect, it } from 'vitest';
import { explain } from '../../../main/eks';

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
});
