// Name <-> value look-ups over the enumeration tables, for the JSON form and for readable messages.
import { ENUMERATION_FOR_TAG, ENUMERATIONS, type EnumerationName } from './enums';

export interface EnumerationTable {
  name: EnumerationName;
  /** 'enumeration': values of Enumeration items; 'mask': bits of Integer items */
  kind: 'enumeration' | 'mask';
  byName: ReadonlyMap<string, number>;
  byValue: ReadonlyMap<number, string>;
}

const TABLES: ReadonlyMap<EnumerationName, EnumerationTable> = new Map(
  (Object.keys(ENUMERATIONS) as EnumerationName[]).map((name) => {
    const { kind, values } = ENUMERATIONS[name];
    const entries = Object.entries(values) as [string, number][];
    return [name, { name, kind, byName: new Map(entries), byValue: new Map(entries.map(([k, v]) => [v, k])) }];
  }),
);

/** The table of an enumeration or bit mask by its spec name, e.g. enumerationTable('ResultReason'). */
export function enumerationTable(name: EnumerationName): EnumerationTable {
  return TABLES.get(name) as EnumerationTable;
}

/** The table that names the values of items with this tag, if the tag has one. */
export function enumerationTableForTag(tag: number): EnumerationTable | undefined {
  const name = ENUMERATION_FOR_TAG.get(tag);
  return name === undefined ? undefined : TABLES.get(name);
}

/** The spec name of a value, e.g. enumerationValueName('ResultReason', 4) === 'InvalidMessage'; undefined if unknown. */
export function enumerationValueName(name: EnumerationName, value: number): string | undefined {
  return TABLES.get(name)?.byValue.get(value);
}
