export { UserFileError, type UserFileErrorCode } from './errors';
export { readUserFile, type UserFileKind } from './read-user-file';
export { assertReplaceable, isSameFile, pathExists, writeUserFile } from './write-user-file';
export { ensureFolder } from './ensure-folder';
export { outOfSpaceReason } from './out-of-space';
export { oneAtATime } from './one-at-a-time';
