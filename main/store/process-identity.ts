// Who holds a lock file (see lock-file.ts): a pid, and on Linux a start token that tells one process
// with that pid from another, so that a lock whose pid was reused is known to be left by a process
// that is gone.
import { readFile, readlink } from 'node:fs/promises';
import { isProcessRunning } from './atomic-file';

/**
 * Which process instance a pid stands for, as far as Linux's /proc tells: the boot (a reboot
 * restarts pid numbering), the pid and time namespaces the pid is seen in (a pid means another
 * process in another pid namespace, e.g. a Flatpak sandbox or a container sharing the data folder;
 * start times are shifted in another time namespace) and the process's start time in clock ticks
 * since boot (a process that gets a reused pid starts later than the one that had it).
 */
export interface ProcessIdentity {
  boot: string;
  pidNs: string;
  timeNs: string;
  start: string;
}

/** The start token line of a lock file: `linux boot=… pidns=… timens=… start=…`. */
export function formatIdentity(identity: ProcessIdentity): string {
  return `linux boot=${identity.boot} pidns=${identity.pidNs} timens=${identity.timeNs} start=${identity.start}`;
}

export function parseIdentity(line: string | undefined): ProcessIdentity | null {
  const [, boot, pidNs, timeNs, start] = /^linux boot=(\S+) pidns=(\S+) timens=(\S+) start=(\d+)$/.exec(line?.trim() ?? '') ?? [];
  return boot && pidNs && timeNs && start ? { boot, pidNs, timeNs, start } : null;
}

/**
 * The start time of process `pid` (field 22 of /proc/<pid>/stat, in clock ticks since boot), or null
 * when it cannot be read. Field 2 (the command name, in parentheses) may itself hold spaces and
 * parentheses, so the fields are counted after the last ')': field 3 comes first there.
 */
async function startTimeOf(pid: number | 'self'): Promise<{ pid: string; start: string } | null> {
  try {
    const text = await readFile(`/proc/${pid}/stat`, 'utf8');
    const close = text.lastIndexOf(')');
    const fields = close < 0 ? [] : text.slice(close + 1).trim().split(/\s+/);
    const start = fields[22 - 3];
    return start && /^\d+$/.test(start) ? { pid: text.slice(0, text.indexOf(' ')), start } : null;
  } catch {
    return null;
  }
}

/** The namespace of kind `kind` this process is in (its inode number), '-' when the kernel has none such, null when unknown. */
async function namespaceOf(kind: 'pid' | 'time'): Promise<string | null> {
  try {
    return /^\w+:\[(\d+)\]$/.exec(await readlink(`/proc/self/ns/${kind}`))?.[1] ?? null;
  } catch (error) {
    return kind === 'time' && (error as NodeJS.ErrnoException).code === 'ENOENT' ? '-' : null; // time namespaces: Linux 5.6
  }
}

/**
 * This process's identity, or null where it cannot be computed (not Linux, no /proc, or a /proc of
 * another pid namespace: its "self" is not this process's pid). Without one, lock files hold the
 * pid alone and are judged by the pid alone.
 */
async function computeOwnIdentity(): Promise<ProcessIdentity | null> {
  if (process.platform !== 'linux') return null;
  try {
    const [bootId, pidNs, timeNs, self] = await Promise.all([
      readFile('/proc/sys/kernel/random/boot_id', 'utf8'),
      namespaceOf('pid'),
      namespaceOf('time'),
      startTimeOf('self'),
    ]);
    const boot = bootId.trim();
    if (!/^\S+$/.test(boot) || !pidNs || !timeNs || !self || self.pid !== String(process.pid)) return null;
    return { boot, pidNs, timeNs, start: self.start };
  } catch {
    return null;
  }
}

let ownIdentity: Promise<ProcessIdentity | null> | undefined;

export function processIdentity(): Promise<ProcessIdentity | null> {
  ownIdentity ??= computeOwnIdentity();
  return ownIdentity;
}

/**
 * Whether `recorded` (a lock owner's identity) was taken in this boot but in another pid or time
 * namespace than `own` (a Flatpak sandbox, a container sharing the data folder): its pid is one inside
 * that namespace, so whether a process with that pid runs here, or which one, says nothing about it.
 */
export function inOtherNamespace(recorded: ProcessIdentity, own: ProcessIdentity): boolean {
  return recorded.boot === own.boot && (recorded.pidNs !== own.pidNs || recorded.timeNs !== own.timeNs);
}

/**
 * Whether the process that wrote a lock holding `pid` and `recorded` (its identity, null in a lock
 * without one) is gone. The owner of a lock written in an earlier boot is gone. A lock written in other
 * pid or time namespaces (a Flatpak sandbox, a container) cannot be judged at all: its pid means another
 * process here, or none, whatever its owner does, so the owner counts as alive. Otherwise a pid that runs
 * no more is gone, and with a token the owner is gone when the pid's start time can be read and differs
 * from the one recorded (the pid was reused, by a process started later). Whatever cannot be judged
 * counts as the owner: a lock of an older kmip-console (pid only), one whose pid's /proc entry is hidden.
 * An owner that is slow or stopped keeps its start time: it is never taken over.
 */
export async function ownerGone(pid: number, recorded: ProcessIdentity | null): Promise<boolean> {
  const own = recorded && (await processIdentity());
  if (recorded && own) {
    if (recorded.boot !== own.boot) return true; // no process of an earlier boot runs now
    if (inOtherNamespace(recorded, own)) return false;
  }
  if (!isProcessRunning(pid)) return true;
  if (!recorded || !own) return false;
  const now = await startTimeOf(pid);
  return now !== null && now.start !== recorded.start;
}
