// The only import point of the KMIP library for the rest of the app.

export { KmipClient, type KmipClientOptions, type KmipSession } from './client';
export {
  KmipOperationError,
  KmipOperationPendingError,
  KmipResponseError,
  KmipVersionError,
  KmipArgumentError,
  KmipClientClosedError,
  type KmipMessageErrorCode,
} from './messages/errors';
export { KMIP_VERSIONS, isAtLeast, isKmipVersion, type KmipVersion } from './messages/versions';
export { RNG_RETRIEVE_SINCE } from './messages/operations/rng-retrieve';
export { showableServerText } from './messages/server-text';
export type { UsernamePasswordCredential } from './messages/envelope';
export type { AttributeMap, AttributeValue } from './messages/attributes';
export type { QueryOptions, QueryResult } from './messages/operations/query';
export { AES_KEY_LENGTHS, type AesKeyLength, type CreateAesKeyOptions, type CreatedObject } from './messages/operations/create';
export type { RegisterSymmetricKeyOptions, RegisterSecretDataOptions } from './messages/operations/register';
export type { LocateOptions, LocateResult } from './messages/operations/locate';
export type { KmipKeyObject } from './messages/operations/get';
export type { GetAttributesResult } from './messages/operations/get-attributes';
export type { RevocationReason } from './messages/operations/lifecycle';
export * from './ttlv';
export * from './transport';
export * from './log';
