// Unique Batch Item IDs for pipelining (Nbio = 1).
//
// Ownership: the message layer may set any IDs it likes (it needs them to match the items of a
// multi-item batch). When pipelining, roundTrip() replaces them on the wire with IDs unique on the
// connection (8-byte counter), matches the response by them, and then puts the caller's original
// IDs back into the response (removing the field where the request item had none). The caller
// therefore never sees the transport's IDs. With Nbio = 0 the request is sent untouched.
import { ItemType } from '../ttlv/types';
import type { TtlvItem } from '../ttlv/types';
import { Tag } from '../ttlv';

/** The 8-byte big-endian Unique Batch Item ID of counter value `n` (up to 2^48). */
export function counterBatchItemId(n: number): Uint8Array {
  const id = Buffer.alloc(8);
  id.writeUIntBE(n, 2, 6);
  return id;
}

/** Transport ID (hex) → the caller's ID for that batch item (null: the item had none). */
export type BatchIdMap = Map<string, Uint8Array | null>;

function children(item: TtlvItem): TtlvItem[] {
  return item.type === ItemType.Structure ? item.value : [];
}

function idItem(id: Uint8Array): TtlvItem {
  return { tag: Tag.UniqueBatchItemID, type: ItemType.ByteString, value: id };
}

/** A copy of the request whose batch items carry fresh transport IDs from `nextId`. */
export function assignBatchItemIds(request: TtlvItem, nextId: () => Uint8Array): { message: TtlvItem; ids: BatchIdMap } {
  const ids: BatchIdMap = new Map();
  if (request.type !== ItemType.Structure) return { message: request, ids };
  const value = request.value.map((child) => {
    if (child.tag !== Tag.BatchItem || child.type !== ItemType.Structure) return child;
    const id = nextId();
    const existing = child.value.find((field) => field.tag === Tag.UniqueBatchItemID);
    ids.set(Buffer.from(id).toString('hex'), existing?.type === ItemType.ByteString ? existing.value : null);
    const fields = child.value.filter((field) => field.tag !== Tag.UniqueBatchItemID);
    // The ID follows Operation (KMIP field order); a batch item without Operation gets it first.
    const at = fields.findIndex((field) => field.tag === Tag.Operation) + 1;
    fields.splice(at, 0, idItem(id));
    return { ...child, value: fields };
  });
  return { message: { ...request, value }, ids };
}

/** The Unique Batch Item IDs (hex) of a response's batch items, in order; items without one are skipped. */
export function responseBatchItemIds(response: TtlvItem): string[] {
  const found: string[] = [];
  for (const child of children(response)) {
    if (child.tag !== Tag.BatchItem) continue;
    const id = children(child).find((field) => field.tag === Tag.UniqueBatchItemID);
    if (id?.type === ItemType.ByteString) found.push(Buffer.from(id.value).toString('hex'));
  }
  return found;
}

/** Puts the caller's IDs back into the response (see the ownership note above). */
export function restoreBatchItemIds(response: TtlvItem, ids: BatchIdMap): TtlvItem {
  if (response.type !== ItemType.Structure) return response;
  const value = response.value.map((child) => {
    if (child.tag !== Tag.BatchItem || child.type !== ItemType.Structure) return child;
    const fields: TtlvItem[] = [];
    for (const field of child.value) {
      if (field.tag === Tag.UniqueBatchItemID && field.type === ItemType.ByteString) {
        const key = Buffer.from(field.value).toString('hex');
        if (ids.has(key)) {
          const original = ids.get(key);
          if (original) fields.push(idItem(original));
          continue;
        }
      }
      fields.push(field);
    }
    return { ...child, value: fields };
  });
  return { ...response, value };
}
