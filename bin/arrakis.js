#!/usr/bin/env node
// The CLI is TypeScript compiled to dist/ (Node 20 cannot run .ts); `npm install` and `npm start` build it.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('arrakis: not built yet: run `npm run build` (npm install and npm start do it for you)\n');
  process.exit(1);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
