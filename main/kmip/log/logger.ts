// Debug logging of KMIP messages. The client calls `logger.debug(event, fields)`; message dumps
// are always redacted first (see redact.ts), both the hex and the tree.
import type { TtlvItem } from '../ttlv/types';
import { encodeTtlv, enumerationTableForTag, itemTypeName, tagName } from '../ttlv';
import { ItemType } from '../ttlv/types';
import { redactTtlv } from './redact';

export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface KmipLogger {
  debug(event: string, fields: LogFields): void;
}

function valueText(item: TtlvItem): string {
  switch (item.type) {
    case ItemType.Enumeration: {
      const name = enumerationTableForTag(item.tag)?.byValue.get(item.value);
      return name ?? `0x${item.value.toString(16).padStart(8, '0')}`;
    }
    case ItemType.ByteString:
      return Buffer.from(item.value).toString('hex');
    case ItemType.TextString:
      return JSON.stringify(item.value);
    case ItemType.DateTime:
      return new Date(Number(item.value) * 1000).toISOString();
    case ItemType.Structure:
      return '';
    default:
      return String(item.value);
  }
}

function treeLines(item: TtlvItem, depth: number, out: string[]): void {
  const indent = '  '.repeat(depth);
  const tag = tagName(item.tag) ?? `0x${item.tag.toString(16)}`;
  if (item.type === ItemType.Structure) {
    out.push(`${indent}${tag}`);
    for (const child of item.value) treeLines(child, depth + 1, out);
    return;
  }
  out.push(`${indent}${tag} (${itemTypeName(item.type)}): ${valueText(item)}`);
}

/** A compact indented tree of a message: one line per item, spec names, enumerations by name. */
export function formatTtlvTree(item: TtlvItem): string {
  const lines: string[] = [];
  treeLines(item, 0, lines);
  return lines.join('\n');
}

/** Redacted hex and tree of a message, for a debug log line. */
export function describeMessage(item: TtlvItem): { hex: string; tree: string } {
  const safe = redactTtlv(item);
  return { hex: encodeTtlv(safe).toString('hex'), tree: formatTtlvTree(safe) };
}
