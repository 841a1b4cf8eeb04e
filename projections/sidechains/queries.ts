import type { Sql } from '../../core/db.js';
import type { SidechainsDoc } from './index.js';

/** The session's sidechain facts, if it has any: one row by its key. */
export async function sidechainsOf(sql: Sql, sessionId: string): Promise<SidechainsDoc | undefined> {
  const rows = await sql<Array<{ doc: SidechainsDoc }>>`select doc from arrakis.proj_sidechains where key = ${`sidechains:${sessionId}`}`;
  return rows[0]?.doc;
}
