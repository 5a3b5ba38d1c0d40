import { describe, expect, it } from 'vitest';
import { defaultSettings, type Settings, type StoredFile } from '../../../common/settings';
import { fileSlotState, pendingFields, scalarFieldState, secretFieldState } from '../../../renderer/src/state/field-state';

function file(name: string): StoredFile {
  return {
    fileName: name,
    format: 'pem',
    loadedAt: '2026-11-28T13:00:00.000Z',
    password: { stored: false, savedAt: null },
    details: { slot: 'clientCert', format: 'pem', sourceName: 'client.pem', sizeBytes: 1, encrypted: false, certificates: [], privateKey: null, warnings: [] },
  };
}

describe('scalarFieldState', () => {
  const applied: Settings = { ...defaultSettings(), serverName: 'EKS', port: 5696 };

  it('is unsaved while the screen differs from pending (numbers compared as typed text)', () => {
    expect(scalarFieldState('port', '70000', applied, applied)).toBe('unsaved');
    expect(scalarFieldState('port', '5696', applied, applied)).toBe('applied');
    expect(scalarFieldState('serverName', ' EKS ', applied, applied)).toBe('applied');
    expect(scalarFieldState('verify', false, applied, applied)).toBe('unsaved');
  });

  it('is pending when saved but different from applied, and applied when equal', () => {
    const pending = { ...applied, serverName: 'Renamed' };
    expect(scalarFieldState('serverName', 'Renamed', pending, applied)).toBe('pending');
    expect(scalarFieldState('port', '5696', pending, applied)).toBe('applied');
  });

  it('before any Apply: default when still the default, pending when saved to something else', () => {
    const pending = { ...defaultSettings(), serverName: 'EKS' };
    expect(scalarFieldState('port', '5696', pending, null)).toBe('default');
    expect(scalarFieldState('serverName', 'EKS', pending, null)).toBe('pending');
  });

  it('before any Apply: Server Name and Host Name, which have no default, are not pending until saved (Revert has nothing of theirs to drop)', () => {
    const fresh = defaultSettings();
    expect(scalarFieldState('serverName', '', fresh, null)).toBe('default');
    expect(scalarFieldState('hostName', '', fresh, null)).toBe('default');
    expect(pendingFields(fresh, null)).toEqual([]);
    expect(pendingFields({ ...fresh, hostName: 'eks.example' }, null)).toEqual(['hostName']);
  });
});

describe('secret and file states', () => {
  it('a typed password is unsaved; stored markers compare by save time', () => {
    const a = { stored: true, savedAt: '2026-11-28T13:00:00Z' };
    const b = { stored: true, savedAt: '2026-11-28T14:00:00Z' };
    expect(secretFieldState('typed', a, a)).toBe('unsaved');
    expect(secretFieldState('', a, a)).toBe('applied');
    expect(secretFieldState('', b, a)).toBe('pending');
    expect(secretFieldState('', { stored: false, savedAt: null }, null)).toBe('default');
  });

  it('a loaded file is pending until applied; a cleared applied file is pending too', () => {
    const applied: Settings = { ...defaultSettings(), clientCert: file('a.pem') };
    expect(fileSlotState('clientCert', applied, applied)).toBe('applied');
    expect(fileSlotState('clientCert', { ...applied, clientCert: file('b.pem') }, applied)).toBe('pending');
    expect(fileSlotState('clientCert', { ...applied, clientCert: null }, applied)).toBe('pending');
  });
});

describe('pendingFields', () => {
  it('lists exactly the fields Revert would drop', () => {
    const applied: Settings = { ...defaultSettings(), serverName: 'EKS', clientCert: file('a.pem') };
    const pending: Settings = { ...applied, port: 5697, clientCert: null, password: { stored: true, savedAt: 'x' } };
    expect(pendingFields(pending, applied).sort()).toEqual(['clientCert', 'password', 'port']);
    expect(pendingFields(applied, applied)).toEqual([]);
  });
});
