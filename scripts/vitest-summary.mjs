// Prints "N passed, N failed, N skipped" from vitest's JSON report; exits 1 when the report is
// missing or records a failure (including a file that failed to load).
// Usage: node scripts/vitest-summary.mjs <report.json>
import { readFileSync } from 'node:fs';

const path = process.argv[2];
if (!path) {
  console.error('usage: node scripts/vitest-summary.mjs <report.json>');
  process.exit(2);
}
let report;
try {
  report = JSON.parse(readFileSync(path, 'utf8'));
} catch (error) {
  console.error(`vitest-summary: cannot read the vitest JSON report ${path}: ${error.message}`);
  console.log('0 passed, 1 failed, 0 skipped');
  process.exit(1);
}
const failedSuites = report.numFailedTestSuites ?? 0;
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
console.log(`${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`);
if (failedSuites > 0 && report.numFailedTests === 0) {
  console.log(`(${failedSuites} test file(s) failed to run)`);
}
process.exit(report.success && report.numFailedTests === 0 && failedSuites === 0 ? 0 : 1);
