// `bin/arrakis.js` for the TypeScript sources (run with tsx): the chaos run's --from-source.
import { main } from '../cli/main.js';

process.exitCode = await main(process.argv.slice(2));
