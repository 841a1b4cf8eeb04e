/**
 * The server and projector of `arrakis start`, alone in a process of their own so that the
 * stream benchmark can read their memory. `tsx bench/support/stream-server.ts DATABASE_URL`;
 * keys in ARRAKIS_{INGEST,READ,ADMIN}_KEY; prints the URL on stdout once listening, stops on stdin's end.
 */
import { connect } from '../../core/db.js';
import { createAppender } from '../../core/group-commit.js';
import { allProjections } from '../../projections/index.js';
import { startProjector } from '../../projections/engine/projector.js';
import { createApp } from '../../server/app.js';
import { startChangeFeed } from '../../server/feed/change-feed.js';
import { listen } from '../../server/http.js';

const sql = connect(process.argv[2]!, { max: 20 });
const projector = await startProjector(sql, { projections: allProjections });
const feed = await startChangeFeed(sql);
const server = await listen(createApp({ sql, appender: createAppender(sql), keys: { ingest: process.env.ARRAKIS_INGEST_KEY!, read: process.env.ARRAKIS_READ_KEY!, admin: process.env.ARRAKIS_ADMIN_KEY! }, feed }), { port: 0 });
process.stdout.write(`${server.url}\n`);
process.stdin.resume();
process.stdin.on('end', async () => {
  await feed.close();
  await server.close();
  await projector.stop();
  await sql.end({ timeout: 5 });
  process.exit(0);
});
