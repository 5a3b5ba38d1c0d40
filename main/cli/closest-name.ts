// The known name a mistyped command, subcommand or option was probably meant to be, for the
// "did you mean …?" of usage errors.

/** Edits (insert, delete, replace a letter, or swap two neighbours) that turn `a` into `b`. */
function editDistance(a: string, b: string): number {
  // rows[i][j]: edits from the first i letters of a to the first j letters of b
  const rows = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const replace = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + replace);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = best;
    }
  }
  return rows[a.length]![b.length]!;
}

/**
 * The candidate `typed` most likely stands for, ignoring case: the only one it begins (`--data` for
 * --data-dir), else the nearest within one edit per three letters (at least one); undefined when none is.
 */
export function closestName(typed: string, candidates: readonly string[]): string | undefined {
  const wanted = typed.toLowerCase();
  const extended = candidates.filter((candidate) => wanted.length >= 2 && candidate.toLowerCase().startsWith(wanted));
  if (extended.length === 1) return extended[0];
  const allowed = Math.max(1, Math.floor(wanted.length / 3));
  let closest: { name: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(wanted, candidate.toLowerCase());
    if (distance <= allowed && (closest === undefined || distance < closest.distance)) closest = { name: candidate, distance };
  }
  return closest?.name;
}

/**
 * A mistyped name as a usage error may quote it back: up to its first "=", since what follows may be a
 * value typed in the wrong place, a secret included (`settings set password=…`).
 */
export function quotableName(typed: string): string {
  const name = namePart(typed);
  return name === typed ? typed : `${name}=…`;
}

/** closestName() for the name part of `typed` (see quotableName). */
export function closestToNamePart(typed: string, candidates: readonly string[]): string | undefined {
  return closestName(namePart(typed), candidates);
}

/** `typed` up to its first "=". */
function namePart(typed: string): string {
  const at = typed.indexOf('=');
  return at < 0 ? typed : typed.slice(0, at);
}
