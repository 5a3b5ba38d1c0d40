// The one error type of the TTLV codec and its JSON form. `offset` says where in the input the problem is.

export type TtlvErrorCode =
  /** the input ends before an item header or value is complete */
  | 'TRUNCATED'
  /** a length field that does not fit the item type (fixed sizes, Big Integer multiple of 8) */
  | 'BAD_LENGTH'
  /** a padding byte that is not zero */
  | 'BAD_PADDING'
  /** a Boolean whose 8 bytes are neither 0 nor 1 */
  | 'BAD_BOOLEAN'
  /** an item type code outside 0x01–0x0B */
  | 'UNKNOWN_TYPE'
  /** the message, or a length field, is larger than the configured cap */
  | 'TOO_LARGE'
  /** structures nested deeper than the configured limit */
  | 'TOO_DEEP'
  /** bytes left over after the top-level item */
  | 'TRAILING_BYTES'
  /** a Text String that is not valid UTF-8 (or, when encoding, not well-formed UTF-16) */
  | 'BAD_UTF8'
  /** a Big Integer with a redundant leading 8-byte block of sign extension */
  | 'NON_MINIMAL_BIG_INTEGER'
  /** a child item that runs past the end of its enclosing structure */
  | 'STRUCTURE_LENGTH_MISMATCH'
  /** encoding: an item whose tag, type or value cannot be represented (out of range, wrong JS type) */
  | 'INVALID_ITEM'
  /** JSON form: input that is not the KMIP JSON encoding (the message names the JSON path) */
  | 'INVALID_JSON';

export class TtlvError extends Error {
  override readonly name = 'TtlvError';
  readonly code: TtlvErrorCode;
  /** byte offset in the TTLV input (decoding) or output (encoding); -1 for JSON-form errors */
  readonly offset: number;
  /** JSON path of the offending value (JSON form only), e.g. "$.value[1].value[0].tag" */
  readonly path: string | undefined;

  constructor(code: TtlvErrorCode, offset: number, message: string, path?: string) {
    super(message);
    this.code = code;
    this.offset = offset;
    this.path = path;
  }
}

/** Formats a byte offset for messages: decimal and hex, e.g. "offset 24 (0x18)". */
export function describeOffset(offset: number): string {
  return `offset ${offset} (0x${offset.toString(16)})`;
}
