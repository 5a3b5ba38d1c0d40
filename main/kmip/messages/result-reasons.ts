// What a failed KMIP Result Reason means for the person at the console, and what to do about it.

export interface ReasonContext {
  /** Spec name of the failed operation, e.g. "Destroy". */
  operation: string;
  /** Protocol version of the server's Response Header, e.g. "1.0". */
  responseVersion: string;
}

export function describeResultReason(reason: string | undefined, context: ReasonContext): string {
  const { operation } = context;
  switch (reason) {
    case 'ItemNotFound':
      return 'no object matches the identifier on this server, or it belongs to another client identity (objects are often visible to their owner only): check the identifier and the client certificate in use.';
    case 'ResponseTooLarge':
      return 'the answer exceeds the Maximum Response Size: ask for fewer items (Maximum Items) or allow a larger response.';
    case 'AuthenticationNotSuccessful':
      return 'the server did not accept the client credentials: check Username and Password under Credentials and the client certificate.';
    case 'InvalidMessage':
      return `the server could not parse the ${operation} request (it answered with a KMIP ${context.responseVersion} header): it may not implement ${operation} or the protocol version in use; set Protocol to a version the server supports or to auto.`;
    case 'OperationNotSupported':
      return `the server does not implement ${operation} at this protocol version: choose another Protocol version or a server that offers ${operation} (see Query).`;
    case 'InvalidField':
      return `the server rejected a field of the ${operation} request as invalid for it: check the values passed (lengths, attribute values) against what the server supports.`;
    case 'PermissionDenied':
      return operation === 'Destroy'
        ? 'the server refused to destroy the object; an Active object must be revoked first (Revoke, then Destroy), and only its owner may destroy it.'
        : `the server refused ${operation} for this object: its state may not allow it (e.g. Activate of an object that is already active) or the client identity is not its owner; check the object's State with Get Attributes and the client certificate in use.`;
    case 'KeyFormatTypeNotSupported':
      return 'the server cannot return the key in the requested Key Format Type: request Raw (or omit the format).';
    case undefined:
      return 'the server gave no Result Reason.';
    default:
      return `the server reported ${reason}.`;
  }
}
