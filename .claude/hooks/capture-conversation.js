#!/usr/bin/env node
// Claude Code runs this on every hook event, with the event's JSON on stdin. The source is in hook/.
import { main } from '../../hook/main.js';

process.exitCode = await main(process.argv.slice(2));
