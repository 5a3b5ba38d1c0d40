// One walk over JSON text for what JSON.parse does not say: where the first grammar error is (its own
// message quotes the input, which can hold key material), and which key is given twice in one object
// (it keeps the last silently, so {"tag":"BatchCount",…,"tag":"ActivationDate"} would encode the
// second tag). Iterative, so any depth is safe.
import { keyPathStep } from './json-quote';

export interface SyntaxProblem {
  /** index in the text of the character at fault (the text's length for a premature end) */
  index: number;
  problem: string;
}

export interface DuplicateKey {
  /** the key, as JSON.parse reads it (escapes resolved) */
  key: string;
  /** JSON path of the second occurrence, e.g. "$.value[1].tag" */
  path: string;
  /** index in the text of the second occurrence's opening quote */
  index: number;
}

export interface JsonScan {
  /** the first grammar error (RFC 8259); none for text JSON.parse reads */
  problem?: SyntaxProblem;
  /** the first key given twice in one object, before `problem` if there is one */
  duplicate?: DuplicateKey;
}

/** An open array or object; `keys` is null past the nesting whose keys are tracked. */
type OpenContainer = { closer: ']'; index: number } | { closer: '}'; keys: Set<string> | null; lastKey: string };

/**
 * Scans `text`. Keys are compared in objects nested at most `maxKeyNesting` deep: deeper input is refused
 * for its depth anyway, and this bounds the memory held for open objects.
 */
export function scanJson(text: string, maxKeyNesting: number): JsonScan {
  let i = 0;
  let duplicate: DuplicateKey | undefined;
  const open: OpenContainer[] = []; // innermost last
  // Reaching the end is its own problem wherever it happens: the input was cut short.
  const problem = (what: string): JsonScan => ({
    problem: { index: i, problem: i >= text.length ? 'unexpected end of input' : what },
    ...(duplicate ? { duplicate } : {}),
  });
  const isDigit = (): boolean => /[0-9]/.test(text.charAt(i));
  const skipSpace = (): void => {
    while (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r') i++;
  };
  const skipDigits = (): boolean => {
    const start = i;
    while (isDigit()) i++;
    return i > start;
  };
  const scanNumber = (): JsonScan | undefined => {
    if (text[i] === '-') i++;
    if (text[i] === '0') i++; // no leading zeros: "01" stops after the 0
    else if (!skipDigits()) return problem('invalid number');
    if (text[i] === '.') {
      i++;
      if (!skipDigits()) return problem('invalid number');
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      if (!skipDigits()) return problem('invalid number');
    }
    return undefined;
  };
  const scanString = (): JsonScan | undefined => {
    for (i++; text[i] !== '"'; ) {
      if (i >= text.length) return problem('unexpected end of input');
      if (text.charCodeAt(i) < 0x20) return problem('unescaped control character in a string');
      if (text[i] !== '\\') i++;
      else if (/^\\(["\\/bfnrt]|u[0-9a-fA-F]{4})/.test(text.slice(i, i + 6))) i += text[i + 1] === 'u' ? 6 : 2;
      else return problem('invalid escape sequence in a string');
    }
    i++;
    return undefined;
  };
  /** A key of the innermost object, which is checked against the object's other keys. */
  const scanKey = (): JsonScan | undefined => {
    skipSpace();
    if (text[i] !== '"') return problem('expected a property name in double quotes');
    const start = i;
    const bad = scanString();
    if (bad) return bad;
    const object = open[open.length - 1];
    if (object?.closer === '}' && object.keys) {
      const raw = text.slice(start + 1, i - 1);
      // JSON.parse only for keys with escapes: "t\u0061g" is the key "tag"
      const key = raw.includes('\\') ? (JSON.parse(text.slice(start, i)) as string) : raw;
      if (object.keys.has(key)) duplicate ??= { key, path: `${pathTo(open)}${keyPathStep(key)}`, index: start };
      object.keys.add(key);
      object.lastKey = key;
    }
    skipSpace();
    if (text[i] !== ':') return problem('expected ":" after a property name');
    i++;
    return undefined;
  };
  const scanScalar = (): JsonScan | undefined => {
    if (text[i] === '"') return scanString();
    if (text[i] === '-' || isDigit()) return scanNumber();
    const word = ['true', 'false', 'null'].find((literal) => literal[0] === text[i]);
    if (word === undefined) return problem('unexpected character where a value should be');
    for (const letter of word) {
      if (text[i] !== letter) return problem('unexpected character where a value should be');
      i++;
    }
    return undefined;
  };

  for (;;) {
    // A value starts here.
    skipSpace();
    const opener = text[i];
    if (opener === '[' || opener === '{') {
      const closer = opener === '[' ? ']' : '}';
      i++;
      skipSpace();
      if (text[i] === closer) {
        i++;
      } else {
        open.push(closer === ']' ? { closer, index: 0 } : { closer, keys: open.length < maxKeyNesting ? new Set() : null, lastKey: '' });
        const bad = opener === '{' ? scanKey() : undefined;
        if (bad) return bad;
        continue;
      }
    } else {
      const bad = scanScalar();
      if (bad) return bad;
    }
    // After a value: close containers until a comma starts the next value.
    for (;;) {
      skipSpace();
      const container = open[open.length - 1];
      if (container === undefined) {
        return i < text.length ? problem('unexpected character after the end of the JSON value') : duplicate ? { duplicate } : {};
      }
      if (text[i] === container.closer) {
        open.pop();
        i++;
      } else if (text[i] === ',') {
        i++;
        if (container.closer === ']') {
          container.index++;
        } else {
          const bad = scanKey();
          if (bad) return bad;
        }
        break;
      } else {
        return problem(`expected "," or "${container.closer}"`);
      }
    }
  }
}

/** JSON path of the innermost open object, e.g. "$.value[1]". */
function pathTo(open: readonly OpenContainer[]): string {
  let path = '$';
  for (const container of open.slice(0, -1)) {
    path += container.closer === '}' ? keyPathStep(container.lastKey) : `[${container.index}]`;
  }
  return path;
}
