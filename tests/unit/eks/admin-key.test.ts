// The search for an Admin Key Name the key server does not hold yet: few Locates however many are taken.
import { describe, expect, it } from 'vitest';
import { adminKeyName, firstUnusedGeneration } from '../../../main/eks/admin-key';
import type { KmipSession } from '../../../main/eks/kmip-session';

const STORE = 'b7f3c1de-0000-4000-8000-000000000001';

/** A session whose server holds keys under the Names of `taken` generations; counts the Locates. */
function serverHolding(taken: (generation: number) => boolean): { session: KmipSession; locates: () => number } {
  let locates = 0;
  const client = {
    locate: async ({ name }: { name: string }) => {
      locates += 1;
      const generation = Number(name.slice(name.lastIndexOf('/') + 1));
      expect(name).toBe(adminKeyName(STORE, generation));
      return { uniqueIdentifiers: taken(generation) ? [String(generation)] : [] };
    },
  };
  const session = { client: async () => client, reconnect: async () => client } as unknown as KmipSession;
  return { session, locates: () => locates };
}

describe('firstUnusedGeneration', () => {
  it('is the next generation when its Name is free, after one Locate', async () => {
    const server = serverHolding(() => false);
    expect(await firstUnusedGeneration(server.session, STORE, 4)).toBe(4);
    expect(server.locates()).toBe(1);
  });

  it.each([2, 3, 17, 101, 5000])('skips %i taken Names after the next one with at most a few dozen Locates', async (count) => {
    const server = serverHolding((generation) => generation >= 2 && generation < 2 + count);
    expect(await firstUnusedGeneration(server.session, STORE, 2)).toBe(2 + count);
    expect(server.locates()).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(count + 1)) + 2);
  });

  it('gives up with ADMIN_KEY_NAMES_TAKEN on a server whose Locate ignores the Name', async () => {
    const server = serverHolding(() => true);
    await expect(firstUnusedGeneration(server.session, STORE, 1)).rejects.toMatchObject({ code: 'ADMIN_KEY_NAMES_TAKEN' });
    expect(server.locates()).toBeLessThan(30);
  });
});
