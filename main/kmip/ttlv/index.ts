// Public API of the TTLV codec: wire encoding, strict decoding, the KMIP JSON form, tag and enumeration tables.
export { ItemType, type TtlvItem } from './types';
export { TtlvError, type TtlvErrorCode } from './errors';
export { DEFAULT_MAX_MESSAGE_BYTES, DEFAULT_MAX_DEPTH, MAX_DEPTH_CEILING, TTLV_HEADER_BYTES } from './limits';
export { decodeTtlv, messageSizeFromHeader, type DecodeOptions } from './decode';
export { encodeTtlv } from './encode';
export { Tag, tagName, tagByName, type TagName } from './tags';
export * from './enums';
export { enumerationTable, enumerationTableForTag, enumerationValueName, type EnumerationTable } from './names';
export { itemTypeName, itemTypeByName } from './item-types';
export { toKmipJson, fromKmipJson, parseKmipJson, normalizeSpecName, type KmipJsonItem, type FromKmipJsonOptions } from './json';
