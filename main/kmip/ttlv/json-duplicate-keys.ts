// Finds a key given twice in one JSON object. JSON.parse keeps only the last of them, so
// {"tag":"BatchCount",…,"tag":"ActivationDate"} would silently encode the second tag: only the text shows it.

export interface DuplicateKey {
  /** the key, as JSON.parse reads it (escapes resolved) */
  key: string;
  /** JSON path of the second occurrence, e.g. "$.value[1].tag" */
  path: string;
  /** index in the text of the second occurrence's opening quote */
  index: number;
}

type OpenContainer = { kind: 'object'; keys: Set<string>; lastKey: string } | { kind: 'array'; index: number };

/**
 * The first key that appears twice in the same object of `text`, which must be valid JSON (parsed already).
 * Iterative, so any depth is safe; containers nested deeper than `maxNesting` are not looked into (the caller
 * refuses such input for its depth anyway), which also bounds the memory held for open objects.
 */
export function findDuplicateKey(text: string, maxNesting: number): DuplicateKey | undefined {
  const open: OpenContainer[] = [];
  // true right after "{" or after "," in an object: the next string is a key, not a value
  let expectingKey = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '"') {
      const end = closingQuote(text, i);
      const top = open[open.length - 1];
      if (expectingKey && top?.kind === 'object') {
        const raw = text.slice(i + 1, end);
        // JSON.parse only for keys with escapes: "t\u0061g" is the key "tag"
        const key = raw.includes('\\') ? (JSON.parse(text.slice(i, end + 1)) as string) : raw;
        if (top.keys.has(key)) return { key, path: `${pathTo(open)}.${key}`, index: i };
        top.keys.add(key);
        top.lastKey = key;
        expectingKey = false;
      }
      i = end;
    } else if (char === '{' || char === '[') {
      if (open.length >= maxNesting) return undefined;
      open.push(char === '{' ? { kind: 'object', keys: new Set(), lastKey: '' } : { kind: 'array', index: 0 });
      expectingKey = char === '{';
    } else if (char === '}' || char === ']') {
      open.pop();
      expectingKey = false;
    } else if (char === ',') {
      const top = open[open.length - 1];
      if (top?.kind === 'array') top.index++;
      expectingKey = top?.kind === 'object';
    }
  }
  return undefined;
}

/** Index of the quote that closes the string opening at `start` (a quote after an odd run of backslashes is escaped). */
function closingQuote(text: string, start: number): number {
  let quote = text.indexOf('"', start + 1);
  for (;;) {
    if (quote === -1) return text.length; // unterminated: not valid JSON, but never loop on it
    let backslashes = 0;
    while (text[quote - 1 - backslashes] === '\\') backslashes++;
    if (backslashes % 2 === 0) return quote;
    quote = text.indexOf('"', quote + 1);
  }
}

/** JSON path of the innermost open object, e.g. "$.value[1]". */
function pathTo(open: readonly OpenContainer[]): string {
  let path = '$';
  for (const container of open.slice(0, -1)) {
    path += container.kind === 'object' ? `.${container.lastKey}` : `[${container.index}]`;
  }
  return path;
}
