// Public API of the KMIP message layer: request construction, response parsing, operations, errors.

export * from './errors';
export * from './versions';
export { describeResultReason } from './result-reasons';
export { showableServerText } from './server-text';
export {
  buildRequestMessage,
  parseResponseMessage,
  expectSuccess,
  valueName,
  type RequestHeaderOptions,
  type RequestBatchItem,
  type ResponseBatchItem,
  type ResponseMessage,
  type UsernamePasswordCredential,
} from './envelope';
export { decodeAttributeValue, type AttributeMap, type AttributeValue } from './attributes';
export type { KmipOperation } from './operation';
export { discoverVersions } from './operations/discover-versions';
export { query, type QueryOptions, type QueryResult } from './operations/query';
export { rngRetrieve } from './operations/rng-retrieve';
export {
  createAesKey,
  AES_KEY_LENGTHS,
  DEFAULT_USAGE_MASK,
  type AesKeyLength,
  type CreateAesKeyOptions,
  type CreatedObject,
} from './operations/create';
export {
  registerSymmetricKey,
  registerSecretData,
  type RegisterSymmetricKeyOptions,
  type RegisterSecretDataOptions,
} from './operations/register';
export { locate, type LocateOptions, type LocateResult } from './operations/locate';
export { get, type GetOptions, type KmipKeyObject } from './operations/get';
export { getAttributes, type GetAttributesOptions, type GetAttributesResult } from './operations/get-attributes';
export {
  activate,
  revoke,
  destroy,
  type ObjectReference,
  type RevokeOptions,
  type RevocationReason,
} from './operations/lifecycle';
