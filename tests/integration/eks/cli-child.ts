// Runs the kmip-console CLI from source in a child process (node --import tsx), for tests that kill it.
import { main } from '../../../main/cli';

main(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env }).then((code) => {
  process.exitCode = code;
});
