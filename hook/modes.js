// @ts-check
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { reasonOf, send } from './deliver.js';
import { drain } from './delivery.js';
import { logDelivery } from './log.js';
import { listDead, listEntries, readEntry } from './spool.js';

/** Modes run by people, not by Claude Code: they may print to stdout. */
const say = (/** @type {string} */ line) => process.stdout.write(`${line}\n`);

/** `--flush`: deliver the whole spool now. Exit 1 while anything is left in it. @param {import('./config.js').HookConfig} config */
export async function flush(config) {
  const onResult = (/** @type {import('./spool.js').SpoolEntry} */ entry, /** @type {import('./delivery.js').Result} */ result, /** @type {boolean | undefined} */ more) =>
    logDelivery(config, entry, result, { event: entry.envelope.event, sessionId: entry.envelope.sessionId, mode: 'flush' }, more);
  let result = await drain(config, { onResult });
  // A background flusher may hold the lock; it refreshes it while it works, so wait it out.
  for (let waited = 0; result.locked && waited < 30_000; waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    result = await drain(config, { onResult });
  }
  if (result.locked) {
    say('another run has been draining the spool for 30 s; try again later');
    return 1;
  }
  say(`delivered ${result.delivered}, dead-lettered ${result.rejected}, left in the spool ${result.remaining}`);
  if (result.stoppedBy) say(`stopped: ${result.stoppedBy}`);
  return result.remaining === 0 ? 0 : 1;
}

/** `--health`: config, server reachability, and whether the server takes this key. @param {import('./config.js').HookConfig} config */
export async function health(config) {
  let ok = config.problems.length === 0;
  for (const problem of config.problems) say(`config: ${problem}`);
  say(`server: ${config.apiUrl}`);
  say(`key: from ${config.keySource}`);
  const healthUrl = new URL('/api/health', config.apiUrl).toString();
  const reach = await send({ url: healthUrl, method: 'GET', timeoutMs: config.timeoutMs });
  if (reach.status === 200) say('reachable: yes (healthy)');
  else {
    ok = false;
    say(`reachable: no (${reasonOf(reach)})`);
  }
  // An empty envelope is authenticated before it is validated: 400 means the key was accepted, and nothing is stored.
  const probe = await send({ url: config.apiUrl, key: config.apiKey, json: {}, timeoutMs: config.timeoutMs });
  if (probe.status === 400) say('key: accepted for ingest');
  else {
    ok = false;
    say(`key: NOT accepted (${reasonOf(probe)})`);
  }
  return ok ? 0 : 1;
}

/** @param {number} ms */
const age = (ms) => (ms < 120_000 ? `${Math.round(ms / 1000)} s` : ms < 7_200_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 3_600_000)} h`);

/** `--status`: spool depth, dead letters and the last delivery. @param {import('./config.js').HookConfig} config */
export function status(config) {
  const spooled = listEntries(config.queueDir);
  say(`spool: ${spooled.length} envelope(s) waiting in ${config.queueDir}`);
  if (spooled.length > 0) {
    const oldest = readEntry(spooled[0]);
    const waited = Date.now() - statSync(spooled[0]).mtimeMs;
    say(`  oldest: ${oldest?.envelope.event} captured ${oldest?.envelope.capturedAt} (${age(waited)} ago), ${oldest?.attempts ?? 0} attempt(s), last error: ${oldest?.lastError ?? 'none'}`);
  }
  const dead = listDead(config.queueDir);
  say(`dead letters: ${dead.length} in ${join(config.queueDir, 'dead')}`);
  for (const path of dead.slice(-5)) {
    const entry = /** @type {{ envelope: { event: string, requestId: string }, reason: string }} */ (/** @type {unknown} */ (readEntry(path)));
    say(`  ${entry.envelope.event} ${entry.envelope.requestId}: ${entry.reason}`);
  }
  try {
    const last = JSON.parse(readFileSync(join(config.stateDir, 'last-delivery.json'), 'utf8'));
    say(`last delivery: ${last.event} at ${last.at} (position ${last.position})`);
  } catch {
    say('last delivery: none recorded');
  }
  return 0;
}
