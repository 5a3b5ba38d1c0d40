// electron-builder afterPack hook: flips the Electron fuses (build/fuses.cjs) in the packed binary
// before it is signed and wrapped into AppImage / deb / dmg / NSIS.
const path = require('node:path');
const { flipFuses } = require('@electron/fuses');
const { fuseConfig } = require('./fuses.cjs');

/** Path of the Electron executable inside the unpacked app, per platform. */
function electronBinaryPath(context) {
  const name = context.packager.appInfo.productFilename;
  switch (context.electronPlatformName) {
    case 'darwin':
    case 'mas':
      return path.join(context.appOutDir, `${name}.app`, 'Contents', 'MacOS', name);
    case 'win32':
      return path.join(context.appOutDir, `${name}.exe`);
    default:
      return path.join(context.appOutDir, context.packager.executableName);
  }
}

module.exports = async function afterPack(context) {
  const isMacArm = context.electronPlatformName === 'darwin' && context.arch === 3; // Arch.arm64
  await flipFuses(electronBinaryPath(context), fuseConfig(isMacArm));
};
module.exports.electronBinaryPath = electronBinaryPath;
