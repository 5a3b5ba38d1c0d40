// The revision a window sends with Apply, Revert, Reset and recovery: equal for equal settings however they
// were built (a view made after a write, or one read back from the file), different once any value differs,
// pending or applied (review s18-r2 F3: Revert installs the applied settings; an Apply made elsewhere changes them).
import { expect, it } from 'vitest';
import { defaultSettings, sameFieldValue } from '../../../common/settings';
import { fieldRevision, settingsRevision } from '../../../main/settings';

it('is the same for the same settings with their keys in another order, at every level', () => {
  const settings = { ...defaultSettings(), hostName: 'kms.example', password: { stored: true, savedAt: '2026-11-29T10:00:00.000Z' } };
  const reordered = { ...(Object.fromEntries(Object.entries(settings).reverse()) as typeof settings), password: { savedAt: '2026-11-29T10:00:00.000Z', stored: true } };
  expect(settingsRevision(reordered, reordered)).toBe(settingsRevision(settings, settings));
});

it('differs once one pending value differs', () => {
  const settings = defaultSettings();
  expect(settingsRevision({ ...settings, description: 'x' }, null)).not.toBe(settingsRevision(settings, null));
  expect(settingsRevision({ ...settings, timeout: settings.timeout + 1 }, null)).not.toBe(settingsRevision(settings, null));
});

it('differs once the applied settings differ, the pending ones staying the same', () => {
  const pending = { ...defaultSettings(), description: 'x' };
  expect(settingsRevision(pending, pending)).not.toBe(settingsRevision(pending, null));
  expect(settingsRevision(pending, pending)).not.toBe(settingsRevision(pending, defaultSettings()));
});

it("a field's revision changes exactly when sameFieldValue says its value did (a marker not stored compares alike whatever its time)", () => {
  const notStoredWithTime = { stored: false, savedAt: '2026-01-01T00:00:00.000Z' };
  const notStored = { stored: false, savedAt: null };
  const stored = { stored: true, savedAt: '2026-01-01T00:00:00.000Z' };
  const restored = { stored: true, savedAt: '2026-01-02T00:00:00.000Z' };
  for (const [a, b] of [[notStoredWithTime, notStored], [stored, restored], [stored, notStored]] as const) {
    const same = sameFieldValue('password', a, b);
    expect(fieldRevision({ ...defaultSettings(), password: a }, 'password') === fieldRevision({ ...defaultSettings(), password: b }, 'password')).toBe(same);
  }
  expect(sameFieldValue('password', notStoredWithTime, notStored)).toBe(true);
});
