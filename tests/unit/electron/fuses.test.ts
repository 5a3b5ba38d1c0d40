import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { FuseV1Options, FuseVersion } from '@electron/fuses';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const { fuseConfig } = require('../../../build/fuses.cjs') as { fuseConfig: (reset: boolean) => Record<string, unknown> };
const afterPack = require('../../../build/after-pack.cjs') as { electronBinaryPath: (context: unknown) => string };

describe('electron fuses', () => {
  const config = fuseConfig(false);

  it('turn off every way to run the binary as a plain Node or to inject code', () => {
    expect(config.version).toBe(FuseVersion.V1);
    expect(config[FuseV1Options.RunAsNode]).toBe(false);
    expect(config[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(false);
    expect(config[FuseV1Options.EnableNodeCliInspectArguments]).toBe(false);
    expect(config[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(false);
  });

  it('load the app only from a validated asar, with encrypted cookies', () => {
    expect(config[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(true);
    expect(config[FuseV1Options.OnlyLoadAppFromAsar]).toBe(true);
    expect(config[FuseV1Options.EnableCookieEncryption]).toBe(true);
  });

  it('set every fuse the installed @electron/fuses knows, so a new one cannot be missed', () => {
    expect(config.strictlyRequireAllFuses).toBe(true);
    const known = Object.values(FuseV1Options).filter((value) => typeof value === 'number');
    for (const fuse of known) expect(typeof config[fuse]).toBe('boolean');
  });

  it('locate the Electron binary the hook patches on each platform', () => {
    const context = (platform: string) => ({
      electronPlatformName: platform,
      appOutDir: '/out',
      packager: { appInfo: { productFilename: 'kmip-console' }, executableName: 'kmip-console' },
    });
    expect(afterPack.electronBinaryPath(context('linux'))).toBe('/out/kmip-console');
    expect(afterPack.electronBinaryPath(context('win32'))).toBe('/out/kmip-console.exe');
    expect(afterPack.electronBinaryPath(context('darwin'))).toBe('/out/kmip-console.app/Contents/MacOS/kmip-console');
  });
});

describe('electron-builder configuration', () => {
  const builder = JSON.parse(readFileSync('build/electron-builder.json', 'utf8')) as Record<string, unknown>;

  it('runs the fuses hook and packs the app into an asar', () => {
    expect(builder.afterPack).toBe('build/after-pack.cjs');
    expect(builder.asar).toBe(true);
  });

  it('builds AppImage, deb, dmg and NSIS from dist/ only', () => {
    expect((builder.linux as { target: string[] }).target).toEqual(['AppImage', 'deb']);
    expect((builder.mac as { target: string[] }).target).toEqual(['dmg']);
    expect((builder.win as { target: string[] }).target).toEqual(['nsis']);
    expect(builder.files).toContain('dist/**');
  });
});
