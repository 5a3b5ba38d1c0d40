// Unique Batch Item IDs for pipelining (Nbio = 1).
//
// Ownership: the message layer may set any IDs it likes (it needs them to match the items of a
// multi-item batch). When pipelining, roundTrip() replaces them on the wire with IDs unique on the
// connection (8-byte counter), matches the response by them, and then puts the caller's original
// IDs back into the response (removing the field where the request item had none). The caller
// therefore never sees the transport's IDs. With Nbio = 0 the request is sent untouched.
// The transport keys its IDs by counter value, not by their bytes as text: matching runs for every
// pipelined request, and hex conversions per request cost more than the rest of the matching.
import { ItemType } from '../ttlv/types';
import type { TtlvItem } from '../ttlv/types';
import { Tag } from '../ttlv';

/** The 8-byte big-endian Unique Batch Item ID of counter value `n` (up to 2^48). */
export function counterBatchItemId(n: number): Uint8Array {
  const id = new Uint8Array(8);
  for (let i = 7, rest = n; i >= 2; i -= 1, rest = Math.floor(rest / 256)) id[i] = rest % 256;
  return id;
}

/** Transport ID (counter value) → the caller's ID for that batch item (null: the item had none). */
export type BatchIdMap = Map<number, Uint8Array | null>;

/** The counter value of a transport ID, or null for bytes that are no transport ID. */
export function transportIdOf(id: Uint8Array): number | null {
  if (id.length !== 8 || id[0] !== 0 || id[1] !== 0) return null;
  let value = 0;
  for (let i = 2; i < 8; i += 1) value = value * 256 + (id[i] as number);
  return value;
}

function children(item: TtlvItem): TtlvItem[] {
  return item.type === ItemType.Structure ? item.value : [];
}

function idItem(id: Uint8Array): TtlvItem {
  return { tag: Tag.UniqueBatchItemID, type: ItemType.ByteString, value: id };
}

/** A copy of the request whose batch items carry fresh transport IDs, counter values from `nextId`. */
export function assignBatchItemIds(request: TtlvItem, nextId: () => number): { message: TtlvItem; ids: BatchIdMap } {
  const ids: BatchIdMap = new Map();
  if (request.type !== ItemType.Structure) return { message: request, ids };
  const value = request.value.map((child) => {
    if (child.tag !== Tag.BatchItem || child.type !== ItemType.Structure) return child;
    const counter = nextId();
    const id = counterBatchItemId(counter);
    const existing = child.value.find((field) => field.tag === Tag.UniqueBatchItemID);
    ids.set(counter, existing?.type === ItemType.ByteString ? existing.value : null);
    const fields = child.value.filter((field) => field.tag !== Tag.UniqueBatchItemID);
    // The ID follows Operation (KMIP field order); a batch item without Operation gets it first.
    const at = fields.findIndex((field) => field.tag === Tag.Operation) + 1;
    fields.splice(at, 0, idItem(id));
    return { ...child, value: fields };
  });
  return { message: { ...request, value }, ids };
}

/** The Unique Batch Item IDs of a response's batch items, in order; items without one are skipped. */
export function responseBatchItemIds(response: TtlvItem): Uint8Array[] {
  const found: Uint8Array[] = [];
  for (const child of children(response)) {
    if (child.tag !== Tag.BatchItem) continue;
    const id = children(child).find((field) => field.tag === Tag.UniqueBatchItemID);
    if (id?.type === ItemType.ByteString) found.push(id.value);
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
        const key = transportIdOf(field.value);
        if (key !== null && ids.has(key)) {
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
