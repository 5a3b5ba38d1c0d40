#!/usr/bin/env node
'use strict';
// The CLI is bundled by `npm ci` (prepare → scripts/build-node.mjs) into dist/cli.cjs.
const path = require('node:path');
const fs = require('node:fs');
const bundle = path.join(__dirname, '..', 'dist', 'cli.cjs');
if (!fs.existsSync(bundle)) {
  process.stderr.write('kmip-console is not built: run `npm ci` (or `npm run build:node`) in ' + path.dirname(__dirname) + '\n');
  process.exit(70);
}
const { main, processIo } = require(bundle);
main(process.argv.slice(2), processIo()).then((code) => {
  process.exitCode = code;
});
