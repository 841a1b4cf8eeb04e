/**
 * The scale benchmark's log: the same turns as every other benchmark (test/support/sessions.ts
 * `turnEvents`: hook events plus the transcript lines they ship, 1–3 KB of tool output), spread
 * over sessions of about 400 events, 30 projects and 10 hosts, and written with COPY in large
 * transactions so that millions of events take minutes. COPY does not notify, so the writer
 * sends the one notification an append would have sent.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Sql } from '../core/db.js';
import { EVENTS_CHANNEL } from '../core/event-store.js';
import type { NewEvent } from '../core/events.js';
import { turnEvents } from '../test/support/sessions.js';
import { prng } from './support/prng.js';

export const PROJECTS = 30;
export const HOSTS = 10;
/** Events a turn of turnEvents makes, and timeline messages it shows (prompt, thinking, text, the Bash call with its output). */
export const EVENTS_PER_TURN = 9;
export const MESSAGES_PER_TURN = 4;
/** Sessions of 20 to 69 turns: 400 events on average. */
const MIN_TURNS = 20;
const TURN_SPREAD = 50;
/** Sessions run this many at a time, their turns interleaved in the log as concurrent sessions' are. */
const WAVE = 50;
const SESSION_GAP_MS = 10 * 60_000;
const TURN_GAP_MS = 60_000;
const ROWS_PER_TRANSACTION = 50_000;

/** Module names the prompts mention, one a session: a word the full-text search can look for. */
export const MODULES = 'auth billing ledger search upload parser router cache queue mailer scheduler metrics export import session storage payments invoice profile settings onboarding webhook gateway compiler renderer indexer crawler notifier archive backup audit catalog checkout cart inventory pricing reports dashboard tenant'.split(' ');
/** The word the benchmark searches for: in one session of MODULES.length. */
export const SEARCH_WORD = 'ledger';

export const BIG_SESSION = '10000000-0000-4000-8000-00000000b16c';
const T0 = Date.UTC(2026, 0, 5);

export const projectPath = (p: number) => `/home/dev/project-${String(p).padStart(2, '0')}`;
const sessionId = (index: number) => `30000000-0000-4000-8000-${index.toString(16).padStart(12, '0')}`;

interface SessionPlan {
  id: string;
  turns: number;
  start: number;
  turnGapMs: number;
  cwd: string;
  host: string;
  module: string;
}

/** turnEvents' turn, moved to the session's project and host, its prompt naming the session's module. */
function turn(plan: SessionPlan, t: number): NewEvent[] {
  const prompt = `Please fix test ${t} in the ${plan.module} module`;
  return turnEvents(plan.id, t, new Date(plan.start + t * plan.turnGapMs)).map((event) => {
    const payload = event.payload as Record<string, unknown> & { line?: { message?: { content?: unknown } } };
    if ('cwd' in payload) payload.cwd = plan.cwd;
    if (event.type === 'UserPromptSubmit') payload.prompt = prompt;
    if (event.type === 'transcript.user' && typeof payload.line?.message?.content === 'string') payload.line.message.content = prompt;
    return { ...event, client: event.client ? { ...event.client, host: plan.host } : null };
  });
}

/** COPY's text format: backslash, newline, carriage return and tab escaped; \N is NULL. */
const text = (value: string) => value.replace(/[\\\n\r\t]/g, (c) => (c === '\\' ? '\\\\' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t'));

function copyLine(e: NewEvent, receivedAt: string): string {
  return [
    text(e.requestId),
    `\\\\x${e.contentHash.toString('hex')}`,
    text(e.type),
    text(e.sessionId),
    e.capturedAt,
    receivedAt,
    e.client === null ? '\\N' : text(JSON.stringify(e.client)),
    text(JSON.stringify(e.payload)),
    e.payloadJson === null ? '\\N' : text(e.payloadJson),
  ].join('\t') + '\n';
}

export interface ScaleLog {
  /** Writes ordinary sessions until the log holds `total` events of them (plus the big conversation, if written). */
  growTo(total: number): Promise<void>;
  /** One conversation of `messages` timeline messages, as the UI benchmark's. */
  writeBigConversation(messages: number): Promise<number>;
  /** Ordinary events written so far, and sessions. */
  readonly events: number;
  readonly sessions: number;
}

export function scaleLog(sql: Sql, log: (msg: string) => void = () => {}): ScaleLog {
  const rand = prng(20);
  let events = 0;
  let sessions = 0;

  async function copy(batches: Iterable<NewEvent[]>): Promise<number> {
    let rows = 0;
    const it = batches[Symbol.iterator]();
    let done = false;
    while (!done) {
      const writable = await sql`copy arrakis.events (request_id, content_hash, type, session_id, captured_at, received_at, client, payload, payload_json) from stdin`.writable();
      let inTransaction = 0;
      // One COPY statement is one transaction: a few tens of thousands of rows each.
      await pipeline(
        Readable.from(
          (function* () {
            while (inTransaction < ROWS_PER_TRANSACTION) {
              const next = it.next();
              if (next.done) {
                done = true;
                return;
              }
              let chunk = '';
              for (const e of next.value) chunk += copyLine(e, new Date(Date.parse(e.capturedAt) + 40).toISOString());
              inTransaction += next.value.length;
              yield chunk;
            }
          })(),
        ),
        writable,
      );
      rows += inTransaction;
    }
    await sql`select pg_notify(${EVENTS_CHANNEL}, '')`;
    return rows;
  }

  function* sessionTurns(plans: SessionPlan[]): Generator<NewEvent[]> {
    const longest = Math.max(...plans.map((p) => p.turns));
    for (let t = 0; t < longest; t++) yield plans.filter((p) => t < p.turns).flatMap((p) => turn(p, t));
  }

  return {
    get events() {
      return events;
    },
    get sessions() {
      return sessions;
    },
    async writeBigConversation(messages) {
      const turns = Math.ceil(messages / MESSAGES_PER_TURN);
      const plan: SessionPlan = { id: BIG_SESSION, turns, start: T0 - turns * 10_000, turnGapMs: 10_000, cwd: projectPath(0), host: 'host-0', module: 'compiler' };
      const started = performance.now();
      const rows = await copy(sessionTurns([plan]));
      log(`wrote the big conversation: ${turns * MESSAGES_PER_TURN} messages, ${rows} events in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      return rows;
    },
    async growTo(total) {
      const started = performance.now();
      const before = events;
      const self = this;
      function* waves(): Generator<NewEvent[]> {
        while (events < total) {
          // Plan a wave of sessions whose turns fit in what is left.
          const plans: SessionPlan[] = [];
          let planned = 0;
          while (plans.length < WAVE && events + planned < total) {
            const index = sessions++;
            const turns = Math.max(1, Math.min(MIN_TURNS + Math.floor(rand() * TURN_SPREAD), Math.ceil((total - events - planned) / EVENTS_PER_TURN)));
            planned += turns * EVENTS_PER_TURN;
            plans.push({
              id: sessionId(index),
              turns,
              start: T0 + index * SESSION_GAP_MS,
              turnGapMs: TURN_GAP_MS,
              cwd: projectPath(Math.floor(rand() * PROJECTS)),
              host: `host-${index % HOSTS}`,
              module: MODULES[Math.floor(rand() * MODULES.length)]!,
            });
          }
          for (const batch of sessionTurns(plans)) {
            events += batch.length;
            yield batch;
          }
        }
      }
      await copy(waves());
      const seconds = (performance.now() - started) / 1000;
      log(`wrote ${(events - before).toLocaleString('en-US')} events (${self.sessions} sessions so far) in ${seconds.toFixed(1)} s, ${Math.round((events - before) / seconds).toLocaleString('en-US')} events/s`);
    },
  };
}
