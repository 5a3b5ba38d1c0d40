// A lock file names its owner by pid and start token. A pid that runs again, but as another process
// (reused after a reboot or a wrap of the pid numbers), must not hold the lock forever; a live
// owner, even a stopped one, must never be taken over. Linux only: elsewhere there is no token.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFileSync, readFileSync, readlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { withLockFile, type LockFileOptions } from '../../../main/store/lock-file';
import { scratchDir } from '../../support/scratch-dirs';

const options: LockFileOptions = {
  waitMs: 10_000,
  busy: (owner) => new Error(`busy (${owner.pid})`),
  failed: (code) => new Error(`failed ${code}`),
};

const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

/** A live process that is not a kmip-console (a `sleep`, or a copy of it under `name`). */
async function otherProcess(name?: string): Promise<number> {
  let command = 'sleep';
  if (name) {
    command = path.join(scratchDir('kmip-lock-bin-'), name);
    copyFileSync('/usr/bin/sleep', command);
  }
  const child = spawn(command, ['1000'], { stdio: 'ignore' });
  children.push(child);
  await once(child, 'spawn');
  return child.pid!;
}

/** The start token line for `pid` (a child, so in this process's namespaces), read independently of lock-file.ts. */
function tokenOf(pid: number, change: { boot?: string; start?: string; pidNs?: string } = {}): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const start = stat.slice(stat.lastIndexOf(')') + 1).trim().split(' ')[19];
  const ns = (kind: string) => /\[(\d+)\]/.exec(readlinkSync(`/proc/self/ns/${kind}`))![1];
  const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  return `linux boot=${change.boot ?? boot} pidns=${change.pidNs ?? ns('pid')} timens=${ns('time')} start=${change.start ?? start}`;
}

/** Runs an operation under `lock`; resolves with what the lock file held meanwhile, or the error. */
async function attempt(lock: string, waitMs: number): Promise<{ held?: string; error?: string; ms: number }> {
  const started = Date.now();
  try {
    const held = await withLockFile(lock, async () => readFileSync(lock, 'utf8'), { ...options, waitMs });
    return { held, ms: Date.now() - started };
  } catch (error) {
    return { error: (error as Error).message, ms: Date.now() - started };
  }
}

function lockFile(): string {
  return path.join(scratchDir('kmip-lock-reuse-'), 'store.kcs.lock');
}

function ageDays(file: string, days: number): void {
  const then = new Date(Date.now() - days * 86_400_000);
  utimesSync(file, then, then);
}

describe.runIf(process.platform === 'linux')('withLockFile and a pid that runs again as another process', () => {
  it('writes its pid and start token, one a line', async () => {
    const held = (await attempt(lockFile(), 1000)).held;
    expect(held).toBe(`${process.pid}\n${tokenOf(process.pid)}\n`);
  });

  it('takes over at once a lock whose pid now belongs to a live process started later than the owner', async () => {
    const lock = lockFile();
    const pid = await otherProcess();
    writeFileSync(lock, `${pid}\n${tokenOf(pid, { start: '1' })}\n`);
    const result = await attempt(lock, 10_000);
    expect(result.error).toBeUndefined();
    expect(result.held?.split('\n')[0]).toBe(String(process.pid));
    expect(result.ms).toBeLessThan(3000);
  });

  it('takes over a lock written in an earlier boot whose pid runs now', async () => {
    const lock = lockFile();
    const pid = await otherProcess();
    writeFileSync(lock, `${pid}\n${tokenOf(pid, { boot: randomUUID() })}\n`);
    const result = await attempt(lock, 10_000);
    expect(result.error).toBeUndefined();
    expect(result.ms).toBeLessThan(3000);
  });

  it.each([
    ['the start token of that process: waits for it, then busy', false],
    ['another start token: taken over', true],
  ])('reads the start time after the last ")" of a command name with spaces and parentheses; %s', async (_, reused) => {
    const lock = lockFile();
    const pid = await otherProcess('x) 1 2 3 (y');
    writeFileSync(lock, `${pid}\n${tokenOf(pid, reused ? { start: '1' } : {})}\n`);
    const result = await attempt(lock, 600);
    if (reused) {
      expect(result.error).toBeUndefined();
    } else {
      expect(result.error).toBe(`busy (${pid})`);
      expect(result.ms).toBeGreaterThanOrEqual(600);
    }
  });

  it('judges a lock without a start token (written by an older version) by its pid alone: a live pid is waited for, however old the file', async () => {
    const lock = lockFile();
    const pid = await otherProcess();
    writeFileSync(lock, `${pid}\n`);
    ageDays(lock, 3);
    expect((await attempt(lock, 600)).error).toBe(`busy (${pid})`);
  });

  it('takes over a lock with a start token whose pid runs no more', async () => {
    const lock = lockFile();
    const pid = await otherProcess();
    const token = tokenOf(pid);
    const child = children.pop()!;
    child.kill('SIGKILL');
    await once(child, 'exit');
    writeFileSync(lock, `${pid}\n${token}\n`);
    expect((await attempt(lock, 10_000)).error).toBeUndefined();
  });

  it('never takes over a lock written in another pid namespace (a sandbox, a container), even when its pid runs no process here', async () => {
    const lock = lockFile();
    const pid = await otherProcess();
    const token = tokenOf(pid, { pidNs: '1' }); // no real pid namespace has inode 1
    const child = children.pop()!;
    child.kill('SIGKILL');
    await once(child, 'exit');
    writeFileSync(lock, `${pid}\n${token}\n`);
    expect((await attempt(lock, 600)).error).toBe(`busy (${pid})`);
  });

  it('never takes over the lock of a live holder in another process, also while it is stopped; takes it over once it is killed', async () => {
    const dir = scratchDir('kmip-lock-holder-');
    const lock = path.join(dir, 'store.kcs.lock');
    const script = path.join(dir, 'hold.mts');
    const module = path.resolve('main/store/lock-file.ts');
    writeFileSync(
      script,
      `import { withLockFile } from ${JSON.stringify(module)};\n` +
        `await withLockFile(process.argv[2], async () => { console.log('held'); await new Promise(() => setInterval(() => {}, 1000)); },` +
        ` { waitMs: 5000, busy: () => new Error('busy'), failed: (code) => new Error(code) });\n`,
    );
    const holder = spawn(process.execPath, ['--import', 'tsx', script, lock], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(holder);
    await Promise.race([
      once(holder.stdout!, 'data'),
      once(holder, 'exit').then(([code]) => Promise.reject(new Error(`the holder exited (${code}) before it took the lock`))),
    ]);
    expect(readFileSync(lock, 'utf8')).toMatch(new RegExp(`^${holder.pid}\\nlinux boot=\\S+ pidns=\\d+ timens=(\\d+|-) start=\\d+\\n$`));

    expect((await attempt(lock, 600)).error).toBe(`busy (${holder.pid})`);
    holder.kill('SIGSTOP');
    expect((await attempt(lock, 600)).error).toBe(`busy (${holder.pid})`);
    holder.kill('SIGKILL');
    await once(holder, 'exit');
    expect((await attempt(lock, 10_000)).error).toBeUndefined();
  });
});
