import { loadServerConfig } from '../core/config.js';
import { createLogger } from '../core/log.js';
import { openDatabase } from './database.js';

/** `arrakis migrate`: applies pending migrations and says which; safe to run concurrently. */
export async function migrateCommand(): Promise<number> {
  const logger = createLogger();
  const database = await openDatabase(loadServerConfig(), logger);
  await database.close();
  process.stderr.write(
    database.applied.length > 0
      ? `applied ${database.applied.join(', ')} to ${database.description}\n`
      : `nothing to apply: ${database.description} is up to date\n`,
  );
  return 0;
}
