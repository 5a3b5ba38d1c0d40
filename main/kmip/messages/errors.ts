// Typed errors of the KMIP message layer. Each carries a stable `code` and a message a person can act on.

export type KmipMessageErrorCode =
  | 'KMIP_OPERATION_FAILED'
  | 'KMIP_OPERATION_PENDING'
  | 'KMIP_RESPONSE_INVALID'
  | 'KMIP_OPERATION_NOT_IN_VERSION'
  | 'KMIP_NO_COMMON_VERSION'
  | 'KMIP_INVALID_ARGUMENT'
  | 'KMIP_CLIENT_CLOSED';

/** A batch item came back with a Result Status other than Success. */
export class KmipOperationError extends Error {
  readonly code = 'KMIP_OPERATION_FAILED' as const;
  override readonly name = 'KmipOperationError';

  constructor(
    message: string,
    /** Spec name of the operation that was requested, e.g. "Get". */
    readonly operation: string,
    /** Spec name of the Result Status, e.g. "OperationFailed". */
    readonly resultStatus: string,
    /** Spec name of the Result Reason, e.g. "ItemNotFound" (hex when unknown); undefined when the server sent none. */
    readonly resultReason: string | undefined,
    /** The server's Result Message, verbatim. */
    readonly resultMessage: string | undefined,
  ) {
    super(message);
  }
}

/**
 * A batch item came back with Result Status Operation Pending: the server runs the request
 * asynchronously, which this client never asks for. Not a failure: the request may still take effect.
 */
export class KmipOperationPendingError extends Error {
  readonly code = 'KMIP_OPERATION_PENDING' as const;
  override readonly name = 'KmipOperationPendingError';

  constructor(
    message: string,
    /** Spec name of the operation that was requested, e.g. "Register". */
    readonly operation: string,
    /** the operation only reads: sending it again is safe */
    readonly readOnly: boolean,
  ) {
    super(message);
  }
}

/** The server's response is not a well-formed answer to the request (missing field, wrong count, ...). */
export class KmipResponseError extends Error {
  readonly code = 'KMIP_RESPONSE_INVALID' as const;
  override readonly name = 'KmipResponseError';
}

/** Version problems: an operation or field that the negotiated version lacks, or no common version. */
export class KmipVersionError extends Error {
  override readonly name = 'KmipVersionError';

  constructor(
    readonly code: 'KMIP_OPERATION_NOT_IN_VERSION' | 'KMIP_NO_COMMON_VERSION',
    message: string,
  ) {
    super(message);
  }
}

/** The caller passed a value the request cannot carry (e.g. an AES key of 100 bits). */
export class KmipArgumentError extends Error {
  readonly code = 'KMIP_INVALID_ARGUMENT' as const;
  override readonly name = 'KmipArgumentError';
}

/** An operation was called on a KmipClient after close(). */
export class KmipClientClosedError extends Error {
  readonly code = 'KMIP_CLIENT_CLOSED' as const;
  override readonly name = 'KmipClientClosedError';

  constructor() {
    super('The KMIP client is closed: connect again with KmipClient.connect().');
  }
}
