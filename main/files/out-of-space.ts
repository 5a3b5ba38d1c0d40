// A write that failed for lack of space: its fix is to free space, not to change the path or the
// permissions, so every writer says so in the same words.

/** What to tell a person when `cause` is ENOSPC or EDQUOT; null for any other failure. */
export function outOfSpaceReason(cause: unknown): string | null {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT' ? 'the disk is full (or the quota used up)' : null;
}
