import { ItemType } from '../../ttlv/types';
import { Operation, Tag } from '../../ttlv';
import { KmipArgumentError, KmipResponseError } from '../errors';
import { payloadReader, type KmipOperation } from '../operation';
import { integer } from '../tree';

/** The first KMIP version that defines RNG Retrieve. */
export const RNG_RETRIEVE_SINCE = '1.2';

/** RNG Retrieve: `length` random bytes from the server's generator. */
export const rngRetrieve: KmipOperation<{ length: number }, Uint8Array> = {
  code: Operation.RNGRetrieve,
  name: 'RNG Retrieve',
  since: RNG_RETRIEVE_SINCE,
  // No server state changes: re-sending only draws other random bytes.
  idempotent: true,
  buildPayload({ length }) {
    if (!Number.isInteger(length) || length < 1 || length > 0x7fffffff) {
      throw new KmipArgumentError(`RNG Retrieve length must be a positive whole number of bytes, got ${length}.`);
    }
    return [integer(Tag.DataLength, length)];
  },
  parseResponse(payload, { length }) {
    const data = payloadReader(payload, 'RNG Retrieve').required(Tag.Data, ItemType.ByteString).value;
    if (data.length !== length) {
      throw new KmipResponseError(
        `The server answered RNG Retrieve for ${length} bytes with ${data.length} bytes: it does not honour Data Length.`,
      );
    }
    return data;
  },
};
