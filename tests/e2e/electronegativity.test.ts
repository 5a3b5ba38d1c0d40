// @doyensec/electronegativity over the BUILT app (dist/electron + dist/renderer). It always exits
// 0, so the test reads its CSV report and fails on any finding above LOW. It only scans .js/.html
// files, so the .cjs bundles are staged under .js names first.
import { execFile } from 'node:child_process';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { scratchDir } from '../support/scratch-dirs';
import { REPO_ROOT } from '../support/services';
import { buildRenderer } from './harness';

const run = promisify(execFile);
const CLI = path.join(REPO_ROOT, 'node_modules/.bin/electronegativity');
const SEVERITY_ORDER = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];

interface Finding {
  issue: string;
  severity: string;
  line: string;
}

async function electronVersion(): Promise<string> {
  const pkg = JSON.parse(await readFile(path.join(REPO_ROOT, 'node_modules/electron/package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/** Runs the scanner on `input` and parses its CSV report (header line skipped). */
async function scan(input: string, workDir: string): Promise<Finding[]> {
  const report = path.join(workDir, `report-${path.basename(input)}.csv`);
  await run(CLI, ['-i', input, '-o', report, '-e', await electronVersion(), '-r'], { cwd: workDir, timeout: 120_000 });
  const lines = (await readFile(report, 'utf8')).split('\n').slice(1).filter((line) => line.trim() !== '');
  return lines.map((line) => {
    const match = /^([A-Z0-9_]+),"?([A-Z]+)"?,/.exec(line);
    if (!match) throw new Error(`unexpected electronegativity report line: ${line}`);
    return { issue: match[1]!, severity: match[2]!, line };
  });
}

/** A deliberately insecure main file: proves the scanner parses and reports. Written, never run. */
const INSECURE_MAIN = `const { BrowserWindow } = require('electron');
new BrowserWindow({ webPreferences: { contextIsolation: false, sandbox: false, webSecurity: false } });
`;

const aboveLow = (finding: Finding) => SEVERITY_ORDER.indexOf(finding.severity) > SEVERITY_ORDER.indexOf('LOW');

describe('electronegativity on the built app', () => {
  let workDir: string;

  beforeAll(async () => {
    workDir = scratchDir('kmip-electronegativity-');
    await run(process.execPath, [path.join(REPO_ROOT, 'scripts/build-node.mjs')], { cwd: REPO_ROOT });
    await buildRenderer();
    const stage = path.join(workDir, 'app');
    await mkdir(path.join(stage, 'electron'), { recursive: true });
    await cp(path.join(REPO_ROOT, 'dist/electron/main.cjs'), path.join(stage, 'electron/main.js'));
    await cp(path.join(REPO_ROOT, 'dist/electron/preload.cjs'), path.join(stage, 'electron/preload.js'));
    await cp(path.join(REPO_ROOT, 'dist/renderer'), path.join(stage, 'renderer'), { recursive: true });
    await cp(path.join(REPO_ROOT, 'package.json'), path.join(stage, 'package.json'));
  });

  it('reports the known-insecure fixture (the scanner really parses our kind of files)', async () => {
    const insecure = path.join(workDir, 'insecure');
    await mkdir(insecure);
    await writeFile(path.join(insecure, 'main.js'), INSECURE_MAIN);
    const findings = await scan(insecure, workDir);
    expect(findings.filter(aboveLow).map((f) => f.issue)).toEqual(
      expect.arrayContaining(['CONTEXT_ISOLATION_JS_CHECK', 'SANDBOX_JS_CHECK', 'WEB_SECURITY_JS_CHECK']),
    );
  });

  it('finds nothing above LOW in dist/electron and dist/renderer', async () => {
    const findings = await scan(path.join(workDir, 'app'), workDir);
    expect(findings.filter(aboveLow).map((f) => f.line)).toEqual([]);
  });
});
