// Entropy at start (PRODUCT.md §3): with applied settings and Disable Entropy Seed off, ask the EKS
// for random bytes and mix them into the process generator. Never throws: without the EKS the OS
// generator is used alone, and the report says why.
import { explain, fetchEntropy, type EntropyReport } from '../eks';
import type { SettingsRepository } from '../settings';

export async function entropyAtStart(settings: SettingsRepository): Promise<EntropyReport> {
  try {
    const applied = await settings.loadApplied();
    const wanted = applied !== null && !applied.disableEntropySeed;
    const connection = wanted
      ? await settings.kmipClientOptions(applied, await settings.resolveSecrets('applied'))
      : null;
    return await fetchEntropy({ connection, disabled: applied?.disableEntropySeed ?? false });
  } catch (error) {
    return { status: 'failed', bytes: 0, detail: `no entropy from the key server (${explain(error).detail}); carrying on with the OS random generator` };
  }
}
