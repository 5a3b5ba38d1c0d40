// The revision a window sends with Apply, Revert and Reset: equal for equal settings however they were
// built (a view made after a write, or one read back from the file), different once any value differs.
import { expect, it } from 'vitest';
import { defaultSettings } from '../../../common/settings';
import { pendingRevision } from '../../../main/settings';

it('is the same for the same settings with their keys in another order, at every level', () => {
  const settings = { ...defaultSettings(), hostName: 'kms.example', password: { stored: true, savedAt: '2026-11-29T10:00:00.000Z' } };
  const reordered = { ...(Object.fromEntries(Object.entries(settings).reverse()) as typeof settings), password: { savedAt: '2026-11-29T10:00:00.000Z', stored: true } };
  expect(pendingRevision(reordered)).toBe(pendingRevision(settings));
});

it('differs once one value differs', () => {
  const settings = defaultSettings();
  expect(pendingRevision({ ...settings, description: 'x' })).not.toBe(pendingRevision(settings));
  expect(pendingRevision({ ...settings, timeout: settings.timeout + 1 })).not.toBe(pendingRevision(settings));
});
