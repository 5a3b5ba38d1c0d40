// The test services for a benchmark script: those of scripts/with-services.sh when it runs under
// it; otherwise the script re-runs itself under it and this process exits with its status.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT, testServices, type TestServices } from '../tests/support/services';

export function servicesOrRerun(scriptUrl: string): TestServices {
  const services = testServices();
  if (services) return services;
  const rerun = spawnSync('bash', [join(REPO_ROOT, 'scripts/with-services.sh'), process.execPath, '--import', 'tsx', fileURLToPath(scriptUrl)], {
    cwd: REPO_ROOT,
    stdio: 'inherit',
  });
  process.exit(rerun.status ?? 1);
}
