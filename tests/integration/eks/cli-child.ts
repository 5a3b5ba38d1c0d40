// Runs the kmip-console CLI from source in a child process (node --import tsx), for tests that kill
// or interrupt it; wired to the process as bin/kmip-console.cjs wires the built CLI.
import { main, processIo } from '../../../main/cli';

main(process.argv.slice(2), processIo()).then((code) => {
  process.exitCode = code;
});
