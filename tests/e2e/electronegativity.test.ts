// @doyensec/electronegativity over the BUILT app (dist/electron + dist/renderer); the test fails on
// any finding above LOW. It only scans .js/.html files, so the .cjs bundles are staged under .js
// names first. The scanner runs through its Node API in a child process: its CLI writes the CSV
// report with two racing asynchronous writes (header, then rows), which now and then mangles a row
// or drops all of them.
import { execFile } from 'node:child_process';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { scratchDir } from '../support/scratch-dirs';
import { REPO_ROOT } from '../support/services';
import { buildRenderer } from './harness';

const run = promisify(execFile);
const SEVERITY_ORDER = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];

interface Finding {
  issue: string;
  severity: string;
  /** issue, severity, file:line and sample, for failure messages */
  line: string;
}

/** Runs electronegativity's API on argv[1] (Electron version argv[2]); prints its findings as JSON. */
const SCANNER = `
const scan = require('@doyensec/electronegativity');
scan({ input: process.argv[1], isRelative: true, electronVersionOverride: process.argv[2] }).then((result) => {
  const findings = result.issues.map((i) => ({ issue: i.id, severity: i.severity.name, line: [i.id, i.severity.name, i.file + ':' + i.location.line, i.sample ?? ''].join(' ') }));
  console.log('FINDINGS ' + JSON.stringify(findings));
});
`;

async function electronVersion(): Promise<string> {
  const pkg = JSON.parse(await readFile(path.join(REPO_ROOT, 'node_modules/electron/package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/** Runs the scanner on `input` and returns its findings. */
async function scan(input: string): Promise<Finding[]> {
  const { stdout } = await run(process.execPath, ['-e', SCANNER, input, await electronVersion()], { cwd: REPO_ROOT, timeout: 120_000 });
  const report = stdout.split('\n').find((line) => line.startsWith('FINDINGS '));
  if (!report) throw new Error(`electronegativity printed no findings list:\n${stdout}`);
  return JSON.parse(report.slice('FINDINGS '.length)) as Finding[];
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
    const findings = await scan(insecure);
    expect(findings.filter(aboveLow).map((f) => f.issue)).toEqual(
      expect.arrayContaining(['CONTEXT_ISOLATION_JS_CHECK', 'SANDBOX_JS_CHECK', 'WEB_SECURITY_JS_CHECK']),
    );
  });

  it('finds nothing above LOW in dist/electron and dist/renderer', async () => {
    const findings = await scan(path.join(workDir, 'app'));
    expect(findings.filter(aboveLow).map((f) => f.line)).toEqual([]);
  });
});
