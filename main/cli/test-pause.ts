// Test-only hook for the crash tests (tests/integration/eks/crash.test.ts): with
// KMIP_CONSOLE_TEST_PAUSE_AT=<point> (one of APPLY_PAUSE_POINTS), `kmip-console apply` stops at that
// point of the Apply transaction, writes the point's name to KMIP_CONSOLE_TEST_PAUSE_MARKER (a file
// path) and waits until it is killed. Unset, Apply never pauses.
import { APPLY_PAUSE_POINTS, type ApplyPausePoint } from '../eks';
import { writeFileAtomic } from '../store';
import { UsageError } from './args';

export const PAUSE_AT_ENV = 'KMIP_CONSOLE_TEST_PAUSE_AT';
export const PAUSE_MARKER_ENV = 'KMIP_CONSOLE_TEST_PAUSE_MARKER';

export function applyPauseHook(env: NodeJS.ProcessEnv): ((point: ApplyPausePoint) => Promise<void>) | undefined {
  const wanted = env[PAUSE_AT_ENV];
  if (!wanted) return undefined;
  if (!(APPLY_PAUSE_POINTS as readonly string[]).includes(wanted)) {
    throw new UsageError(`${PAUSE_AT_ENV}=${wanted} is not a pause point; use one of ${APPLY_PAUSE_POINTS.join(', ')}.`);
  }
  const marker = env[PAUSE_MARKER_ENV];
  return async (point) => {
    if (point !== wanted) return;
    // atomic, so that a test polling for the file never reads it half-written
    if (marker) await writeFileAtomic(marker, Buffer.from(point));
    // A pending timer keeps the process alive until the test kills it.
    await new Promise<never>(() => setInterval(() => undefined, 60_000));
  };
}
