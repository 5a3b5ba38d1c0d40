// The Add secret form refuses what the store would: the limit is in UTF-8 bytes, not characters.
import { describe, expect, it } from 'vitest';
import { OBJECT_VALUE_MAX_BYTES, secretValueProblem } from '../../../common/object-value';

describe('secretValueProblem', () => {
  it('takes a value of exactly the limit, and refuses one byte more, naming both sizes', () => {
    expect(secretValueProblem('v'.repeat(OBJECT_VALUE_MAX_BYTES))).toBeNull();
    expect(secretValueProblem('v'.repeat(OBJECT_VALUE_MAX_BYTES + 1))).toBe('Value is 65,537 bytes as UTF-8; a secret is at most 65,536 bytes: store a shorter value.');
  });

  it('counts bytes: 40,000 accented letters are 80,000 bytes, over the limit though under it in characters', () => {
    expect(secretValueProblem('é'.repeat(40_000))).toMatch(/^Value is 80,000 bytes as UTF-8/);
  });

  it('refuses half of a surrogate pair', () => {
    expect(secretValueProblem('ab\ud800')).toMatch(/broken character/);
  });
});
