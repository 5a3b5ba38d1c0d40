// Size and nesting limits shared by the decoder, the encoder and the transport's framing.

/** Largest message accepted by default: the common KMIP server limit (PyKMIP and others use 1 MiB). */
export const DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;

/** Deepest structure nesting accepted by default. Real KMIP messages stay well under 16 levels. */
export const DEFAULT_MAX_DEPTH = 64;

/**
 * Hard ceiling for a caller-supplied maxDepth: the decoder recurses once per level, and this keeps it far
 * from the JavaScript stack limit, so hostile nesting always ends in a TtlvError and never a RangeError.
 */
export const MAX_DEPTH_CEILING = 1000;

/** Size of a TTLV item header: tag (3) + type (1) + length (4). */
export const TTLV_HEADER_BYTES = 8;
