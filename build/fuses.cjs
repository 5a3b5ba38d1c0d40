// Electron fuses flipped into every packaged binary (afterPack). Kept apart from the hook so a
// unit test can assert the configuration without packaging anything.
const { FuseV1Options, FuseVersion } = require('@electron/fuses');

/** @param {boolean} resetAdHocDarwinSignature true on macOS arm64, where flipping fuses breaks the ad-hoc signature */
function fuseConfig(resetAdHocDarwinSignature) {
  return {
    version: FuseVersion.V1,
    resetAdHocDarwinSignature,
    strictlyRequireAllFuses: true,
    [FuseV1Options.RunAsNode]: false,
    [FuseV1Options.EnableCookieEncryption]: true,
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
    [FuseV1Options.EnableNodeCliInspectArguments]: false,
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
    [FuseV1Options.OnlyLoadAppFromAsar]: true,
    [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
    [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
  };
}

module.exports = { fuseConfig };
