// The TTLV item model shared by the codec, the JSON converter and the message layer.

/** KMIP item types, with their wire codes. */
export enum ItemType {
  Structure = 0x01,
  Integer = 0x02,
  LongInteger = 0x03,
  BigInteger = 0x04,
  Enumeration = 0x05,
  Boolean = 0x06,
  TextString = 0x07,
  ByteString = 0x08,
  DateTime = 0x09,
  Interval = 0x0a,
  DateTimeExtended = 0x0b,
}

/** One decoded TTLV item. `tag` is the 3-byte tag as a number (e.g. 0x420078). */
export type TtlvItem =
  | { tag: number; type: ItemType.Structure; value: TtlvItem[] }
  /** signed 32-bit */
  | { tag: number; type: ItemType.Integer; value: number }
  /** signed 64-bit */
  | { tag: number; type: ItemType.LongInteger; value: bigint }
  /** two's complement, minimally sign-extended to a multiple of 8 bytes on the wire */
  | { tag: number; type: ItemType.BigInteger; value: bigint }
  /** unsigned 32-bit */
  | { tag: number; type: ItemType.Enumeration; value: number }
  | { tag: number; type: ItemType.Boolean; value: boolean }
  | { tag: number; type: ItemType.TextString; value: string }
  | { tag: number; type: ItemType.ByteString; value: Uint8Array }
  /** signed seconds since the Unix epoch */
  | { tag: number; type: ItemType.DateTime; value: bigint }
  /** unsigned 32-bit seconds */
  | { tag: number; type: ItemType.Interval; value: number }
  /** signed microseconds since the Unix epoch (KMIP 2.x) */
  | { tag: number; type: ItemType.DateTimeExtended; value: bigint };
