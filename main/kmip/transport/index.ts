export { KmipConnection } from './connection';
export type { RoundTripOptions } from './connection';
export { TransportError } from './errors';
export type { TransportErrorCode, TransportField } from './errors';
export type { ClientCredential, ConnectionOptions, TlsOptions } from './options';
export type { CertificateSummary, TlsSessionInfo } from './session-info';
export { checkCipherList } from './tls-socket';
export { FrameReader } from './frame-reader';
export type { FrameReaderOptions } from './frame-reader';
