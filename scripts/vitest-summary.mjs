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
// A test file that fails to load has no test results: count it as one failure, or it would vanish.
const unloadedFiles = (report.testResults ?? []).filter(
  (file) => file.status === 'failed' && (file.assertionResults ?? []).length === 0,
);
const failed = report.numFailedTests + unloadedFiles.length;
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
for (const file of unloadedFiles) console.error(`test file failed to load: ${file.name}`);
console.log(`${report.numPassedTests} passed, ${failed} failed, ${skipped} skipped`);
process.exit(report.success && failed === 0 ? 0 : 1);
