// @ts-check
import { join } from 'node:path';
import { main } from './main.js';

// Bundled to CommonJS as .claude/hooks/capture-conversation.js (npm run build): one file,
// no ESM loader, so each run starts nearly as fast as `node -e 0`. __filename is that file.
main(process.argv.slice(2), { script: __filename, root: join(__dirname, '..', '..') }).then((code) => {
  process.exitCode = code;
});
