// Child process for the atomic-write test: replaces argv[2] with argv[3], then hangs before the rename
// (after the temporary file is flushed) until the parent kills it.
import { writeFileAtomic } from '../../../main/store';

const [target, content] = process.argv.slice(2);
if (!target || content === undefined) throw new Error('usage: write-then-hang <target> <content>');
await writeFileAtomic(target, Buffer.from(content), {
  beforeRename: async () => {
    process.stdout.write('paused\n');
    await new Promise(() => {});
  },
});
