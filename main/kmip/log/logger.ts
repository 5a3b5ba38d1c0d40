// Debug logging of KMIP messages. The client calls `logger.debug(event, fields)`; message dumps
// are always redacted first (see redact.ts), both the hex and the tree.
import type { TtlvItem } from '../ttlv/types';
import { encodeTtlv, itemTypeName, tagName, toKmipJson, type KmipJsonItem } from '../ttlv';
import { ItemType } from '../ttlv/types';
import { redactTtlv } from './redact';

export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface KmipLogger {
  debug(event: string, fields: LogFields): void;
}

/** `json` is the item's KMIP JSON form: enumerations and masks read as `ttlv decode` shows them. */
function valueText(item: TtlvItem, json: KmipJsonItem): string {
  switch (item.type) {
    // The JSON form names a KMIP 1.x Attribute Value by the table of its sibling Attribute Name, and
    // writes a date outside what Date can show as hex instead of throwing.
    case ItemType.Enumeration:
    case ItemType.Integer:
    case ItemType.DateTime:
    case ItemType.DateTimeExtended:
      return String(json.value);
    case ItemType.ByteString:
      return Buffer.from(item.value).toString('hex');
    case ItemType.TextString:
      return JSON.stringify(item.value);
    case ItemType.Structure:
      return '';
    default:
      return String(item.value);
  }
}

function treeLines(item: TtlvItem, json: KmipJsonItem, depth: number, out: string[]): void {
  const indent = '  '.repeat(depth);
  const tag = tagName(item.tag) ?? `0x${item.tag.toString(16)}`;
  if (item.type === ItemType.Structure) {
    out.push(`${indent}${tag}`);
    const children = json.value as KmipJsonItem[];
    item.value.forEach((child, index) => treeLines(child, children[index] as KmipJsonItem, depth + 1, out));
    return;
  }
  out.push(`${indent}${tag} (${itemTypeName(item.type)}): ${valueText(item, json)}`);
}

/** A compact indented tree of a message: one line per item, spec names, enumerations and masks by name. */
export function formatTtlvTree(item: TtlvItem): string {
  const lines: string[] = [];
  treeLines(item, toKmipJson(item), 0, lines);
  return lines.join('\n');
}

/** Redacted hex and tree of a message, for a debug log line. */
export function describeMessage(item: TtlvItem): { hex: string; tree: string } {
  const safe = redactTtlv(item);
  return { hex: encodeTtlv(safe).toString('hex'), tree: formatTtlvTree(safe) };
}
