// A batch item answered with Result Status Operation Pending is not a failure: the server may still
// carry the request out. This client never asks for asynchronous processing, so it says the outcome
// is not known yet, with its own error code.
import { describe, expect, it } from 'vitest';
import { explain } from '../../../main/eks';
import { KmipClient, KmipOperationError, KmipOperationPendingError, type KmipClientOptions, type KmipSession } from '../../../main/kmip';
import { CLIENT_OPTIONS, TLS_INFO } from './tls-info-fixture';
import { expectSuccess, parseResponseMessage } from '../../../main/kmip/messages';
import { counterBatchItemId } from '../../../main/kmip/transport/batch-ids';
import { ItemType, Operation, ResultStatus, Tag, type TtlvItem } from '../../../main/kmip/ttlv';

const struct = (tag: number, value: TtlvItem[]): TtlvItem => ({ tag, type: ItemType.Structure, value });
const int = (tag: number, value: number): TtlvItem => ({ tag, type: ItemType.Integer, value });
const enumItem = (tag: number, value: number): TtlvItem => ({ tag, type: ItemType.Enumeration, value });

function field(item: TtlvItem, tag: number): TtlvItem {
  const found = item.type === ItemType.Structure ? item.value.find((child) => child.tag === tag) : undefined;
  if (!found) throw new Error(`no ${tag.toString(16)}`);
  return found;
}

function pendingResponse(operation: number, resultMessage?: string): TtlvItem {
  return struct(Tag.ResponseMessage, [
    struct(Tag.ResponseHeader, [struct(Tag.ProtocolVersion, [int(Tag.ProtocolVersionMajor, 1), int(Tag.ProtocolVersionMinor, 4)]), int(Tag.BatchCount, 1)]),
    struct(Tag.BatchItem, [
      enumItem(Tag.Operation, operation),
      enumItem(Tag.ResultStatus, ResultStatus.OperationPending),
      ...(resultMessage ? [{ tag: Tag.ResultMessage, type: ItemType.TextString, value: resultMessage } as TtlvItem] : []),
      { tag: Tag.AsynchronousCorrelationValue, type: ItemType.ByteString, value: new Uint8Array([1, 2]) },
    ]),
  ]);
}

function errorOf(response: TtlvItem, operation: number, readOnly = false): unknown {
  try {
    expectSuccess(parseResponseMessage(response), { operation, uniqueBatchItemId: counterBatchItemId(1), payload: [] }, { readOnly });
  } catch (error) {
    return error;
  }
  throw new Error('the response was accepted as a success');
}

describe('a batch item with Result Status Operation Pending', () => {
  it('says the outcome is not known yet, not that the operation failed', () => {
    const error = errorOf(pendingResponse(Operation.Register), Operation.Register);
    expect(error).toBeInstanceOf(KmipOperationPendingError);
    // Not a refusal: callers that fall back on a refusal (Register as Secret Data) must not do so here.
    expect(error).not.toBeInstanceOf(KmipOperationError);
    expect(error).toMatchObject({ code: 'KMIP_OPERATION_PENDING', operation: 'Register' });
    const { message } = error as Error;
    expect(message).toMatch(/^The server answered KMIP Register with Operation Pending: it runs the request asynchronously, which this client never asks for/);
    expect(message).toMatch(/The outcome is not known yet: check on the server whether the Register took effect/);
    expect(message).not.toMatch(/failed/);
  });

  it('says that an operation that only reads is safe to send again', () => {
    const { message } = errorOf(pendingResponse(Operation.Locate), Operation.Locate, true) as Error;
    expect(message).toMatch(/cannot follow up\. Locate only reads, so sending it again is safe\.$/);
    expect(message).not.toMatch(/outcome is not known/);
  });

  it('quotes the server message, made showable, and names the operation with its spaces', () => {
    const { message } = errorOf(pendingResponse(Operation.RNGRetrieve, 'queued\u001b[2J'), Operation.RNGRetrieve) as Error;
    expect(message).toMatch(/KMIP RNG Retrieve with Operation Pending/);
    expect(message).toMatch(/The server said: "queued\\u\{1b\}\[2J"\.$/);
  });

  it('is explained with its own code and a fix, not as an internal error', () => {
    const explanation = explain(errorOf(pendingResponse(Operation.Register), Operation.Register));
    expect(explanation.code).toBe('KMIP_OPERATION_PENDING');
    expect(explanation.fix).toMatch(/whether the request took effect/);
    expect(explain(errorOf(pendingResponse(Operation.Query), Operation.Query, true)).fix).toMatch(/^Run the action again: this request only reads/);
  });
});

describe('Operation Pending through the client', () => {
  /** A session that answers every request with Operation Pending for its operation. */
  function pendingSession(): KmipSession {
    return {
      tlsInfo: TLS_INFO,
      open: async () => TLS_INFO,
      roundTrip: async (request) => {
        const operation = field(field(request, Tag.BatchItem), Tag.Operation);
        return pendingResponse(operation.type === ItemType.Enumeration ? operation.value : 0);
      },
      close: async () => undefined,
    };
  }
  const options: KmipClientOptions = { ...CLIENT_OPTIONS, protocol: '1.4' };

  it('says a Locate, which only reads, is safe to send again, and a Register that its outcome is not known', async () => {
    const client = await KmipClient.start(pendingSession(), options);
    await expect(client.locate({ name: 'x' })).rejects.toMatchObject({ code: 'KMIP_OPERATION_PENDING', readOnly: true, message: expect.stringMatching(/Locate only reads/) });
    await expect(client.registerSecretData({ data: new Uint8Array([1]), name: 'y' })).rejects.toMatchObject({
      readOnly: false,
      message: expect.stringMatching(/outcome is not known yet/),
    });
  });
});

