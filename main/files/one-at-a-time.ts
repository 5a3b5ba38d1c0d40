// Changes to one file made from one process, one at a time: a second change that started from the
// same read would otherwise be refused as if another process had changed the file meanwhile.

/** Returns a runner: each operation passed to it starts once the ones before it have ended, failed or not. */
export function oneAtATime(): <T>(operation: () => Promise<T>) => Promise<T> {
  let queue: Promise<unknown> = Promise.resolve();
  return <T>(operation: () => Promise<T>): Promise<T> => {
    const run = queue.then(operation, operation);
    queue = run.catch(() => undefined);
    return run;
  };
}
