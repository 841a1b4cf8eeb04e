import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../core/paths.js';
import { importTranscripts } from '../../core/import/transcript-import.js';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.js';
import { startProjector } from '../engine/projector.js';
import { allProjections } from '../index.js';
import { fold } from '../projection.js';
import { transcriptLine } from '../../test/support/stored.js';
import { usage, type UsageDoc } from './index.js';
import { costUsd } from '../pricing.js';
import { statsSummary } from '../stats-queries.js';
import { dailyUsage } from './queries.js';

/**
 * The usage reports over the real transcripts of shared/fixtures, against the `stats`
 * projection (the same responses, counted apart) and against ccusage 18 run on copies of the
 * same files. Where ccusage's numbers differ, each difference is computed from the fixture
 * lines and named by its cause (see README, "Usage numbers vs ccusage"):
 *
 * - streamed: Claude Code writes a response as a line per content block, all with the same
 *   message.id and requestId, its usage growing (output mostly) up to the last. ccusage keeps
 *   the first line of a message.id:requestId and drops the rest; Arrakis keeps the last.
 * - withoutRequestId: ccusage de-duplicates only lines with both ids, so it counts every line
 *   of a response whose lines lack a requestId; Arrakis counts the response once.
 * - oneHourAtFiveMinuteRate: ccusage reads only cache_creation_input_tokens, so it prices
 *   1-hour cache writes at the 5-minute rate (1.25× input instead of 2×).
 */
const fixtures = '/work/shared/fixtures/claude-code';
const present = existsSync(fixtures);
const ccusageBin = join(projectRoot, 'node_modules', 'ccusage', 'dist', 'index.js');

type Usage = Record<string, unknown>;
interface Line {
  file: string;
  timestamp: string | null;
  requestId: string | null;
  id: string | null;
  model: string | null;
  type: unknown;
  usage: Usage;
}
interface Counts {
  input: number;
  output: number;
  cacheCreation: number;
  cacheRead: number;
  cost: number;
}

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0);
const zero = (): Counts => ({ input: 0, output: 0, cacheCreation: 0, cacheRead: 0, cost: 0 });
const countsOf = (u: Usage, cost: number): Counts => ({
  input: num(u.input_tokens), output: num(u.output_tokens), cacheCreation: num(u.cache_creation_input_tokens), cacheRead: num(u.cache_read_input_tokens), cost,
});
const add = (a: Counts, b: Counts, sign = 1): Counts => ({
  input: a.input + sign * b.input, output: a.output + sign * b.output, cacheCreation: a.cacheCreation + sign * b.cacheCreation,
  cacheRead: a.cacheRead + sign * b.cacheRead, cost: a.cost + sign * b.cost,
});
const tokensOnly = ({ cost: _, ...tokens }: Counts) => tokens;
const dayOf = (timestamp: string | null) => new Date(timestamp!).toISOString().slice(0, 10);
const keyOf = (day: string, model: string) => `${day} ${model}`;

/** A line's usage as ccusage reads it: the total of the cache writes, not their split by lifetime. */
const withoutSplit = (u: Usage): Usage => ({ input_tokens: u.input_tokens, output_tokens: u.output_tokens, cache_creation_input_tokens: u.cache_creation_input_tokens, cache_read_input_tokens: u.cache_read_input_tokens });
const priceOf = (line: Line, usage: Usage = line.usage) => costUsd(line.model ?? 'unknown', usage, new Date(line.timestamp!)) ?? 0;

function readLines(dir: string, files: readonly string[]): Line[] {
  return files.flatMap((file) =>
    readFileSync(join(dir, file), 'utf8').split('\n').flatMap((text): Line[] => {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        return [];
      }
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
      const o = value as Record<string, unknown>;
      const message = o.message as Record<string, unknown> | undefined;
      if (!message || typeof message !== 'object' || !message.usage || typeof message.usage !== 'object') return [];
      return [{ file, timestamp: str(o.timestamp), requestId: str(o.requestId), id: str(message.id), model: str(message.model), type: o.type, usage: message.usage as Usage }];
    }),
  );
}

function runCcusage(configDir: string) {
  const out = execFileSync(process.execPath, [ccusageBin, 'daily', '--json', '--offline', '--breakdown', '--timezone', 'UTC'], {
    env: { ...process.env, CLAUDE_CONFIG_DIR: configDir, LOG_LEVEL: '0' },
    encoding: 'utf8',
  });
  const report = JSON.parse(out) as { daily: Array<{ date: string; modelBreakdowns: Array<{ modelName: string; inputTokens: number; outputTokens: number; cacheCreationTokens: number; cacheReadTokens: number; cost: number }> }> };
  return new Map(report.daily.flatMap((d) => d.modelBreakdowns.map((m) => [keyOf(d.date, m.modelName), { input: m.inputTokens, output: m.outputTokens, cacheCreation: m.cacheCreationTokens, cacheRead: m.cacheReadTokens, cost: m.cost }] as const)));
}

describe('ccusage 18 on a response whose lines lack a requestId', () => {
  it('counts every line, where Arrakis counts the response once, with its last line', () => {
    const home = mkdtempSync(join(tmpdir(), 'arrakis-ccusage-'));
    try {
      const session = 'cccccccc-0000-4000-8000-000000000001';
      const line = (id: string, output: number, second: number, requestId?: string) => ({
        type: 'assistant', sessionId: session, cwd: '/home/dev/app', timestamp: `2026-11-20T10:00:0${second}.000Z`, uuid: `${id}-${second}`, ...(requestId ? { requestId } : {}),
        message: { id, model: 'claude-sonnet-4-5-20250929', role: 'assistant', content: [{ type: 'text', text: 'ok' }], usage: { input_tokens: 10, output_tokens: output } },
      });
      // Written as older Claude Code versions and some rebuilt transcripts do: no requestId on the lines.
      const lines = [line('msg_x', 5, 1), line('msg_x', 50, 2), line('msg_x', 500, 3), line('msg_y', 7, 4, 'req_y')];
      mkdirSync(join(home, 'projects', '-app'), { recursive: true });
      writeFileSync(join(home, 'projects', '-app', `${session}.jsonl`), lines.map((l) => `${JSON.stringify(l)}\n`).join(''));
      const theirs = runCcusage(home).get(keyOf('2026-11-20', 'claude-sonnet-4-5-20250929'));
      const docs = [...fold(usage, lines.map((l) => transcriptLine(l, { capturedAt: new Date(l.timestamp) }))).values()] as UsageDoc[];
      const ours = docs.reduce((sum, doc) => ({ input: sum.input + doc.tokens.input, output: sum.output + doc.tokens.output }), { input: 0, output: 0 });
      expect(ours).toEqual({ input: 20, output: 507 });
      // withoutRequestId: the three lines of msg_x each counted.
      expect(theirs).toMatchObject({ input: 10 * 3 + 10, output: 5 + 50 + 500 + 7 });
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!present)('usage over the real transcripts, against stats and ccusage 18', () => {
  const files = present ? readdirSync(fixtures).filter((name) => name.includes('transcript') && name.endsWith('.jsonl')).sort() : [];
  let db: TestDatabase;
  let home: string;
  let lines: Line[];

  beforeAll(async () => {
    // Copies of the transcripts in a Claude Code config folder of their own, for both tools.
    home = mkdtempSync(join(tmpdir(), 'arrakis-ccusage-'));
    const folder = join(home, 'projects', '-fixtures');
    mkdirSync(folder, { recursive: true });
    for (const name of files) copyFileSync(join(fixtures, name), join(folder, name));
    lines = readLines(folder, files);
    db = await createTestDatabase();
    const tally = await importTranscripts(db.sql, [join(home, 'projects')]);
    expect(tally.failed).toBe(0);
    const projector = await startProjector(db.sql, { projections: allProjections, pollMs: 50 });
    await projector.settled();
    await projector.stop();
  }, 60_000);
  afterAll(async () => {
    await db?.drop();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  /** Responses as Arrakis reads them: the assistant lines of each message.id in log order (the files' walk order). */
  const responses = () => {
    const byId = new Map<string, Line[]>();
    for (const line of lines) {
      if (line.type !== 'assistant' || line.id === null || line.model === '<synthetic>') continue;
      byId.set(line.id, [...(byId.get(line.id) ?? []), line]);
    }
    return [...byId.values()];
  };

  /** Per UTC day of its first line and model of its last: each response's last line, priced with the cache writes by lifetime. */
  function arrakisExpected(): Map<string, Counts> {
    const out = new Map<string, Counts>();
    for (const response of responses()) {
      const last = response.at(-1)!;
      const key = keyOf(dayOf(response[0]!.timestamp), last.model!);
      out.set(key, add(out.get(key) ?? zero(), countsOf(last.usage, priceOf(last))));
    }
    return out;
  }

  async function arrakisDaily(): Promise<Map<string, Counts>> {
    const report = await dailyUsage(db.sql, { tz: 'UTC' });
    return new Map(report.daily.flatMap((day) => day.modelBreakdowns.map((m) => [keyOf(day.date, m.modelName), { input: m.inputTokens, output: m.outputTokens, cacheCreation: m.cacheCreationTokens, cacheRead: m.cacheReadTokens, cost: m.cost }] as const)));
  }

  it('count each response once, with its last line, as stats does, by UTC day and model', async () => {
    const daily = await arrakisDaily();
    const expected = arrakisExpected();
    expect([...daily.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [key, counts] of expected) {
      expect(tokensOnly(daily.get(key)!), key).toEqual(tokensOnly(counts));
      expect(daily.get(key)!.cost, key).toBeCloseTo(counts.cost, 9);
    }
    // stats: its response documents, by the day of their last line (no response here straddles midnight).
    const rows = await db.sql<Array<{ day: string; model: string } & Counts>>`
      select doc->>'day' as day, doc->>'model' as model, sum((doc->'usage'->>'input')::float8) as input, sum((doc->'usage'->>'output')::float8) as output,
             sum((doc->'usage'->>'cacheCreation')::float8) as "cacheCreation", sum((doc->'usage'->>'cacheRead')::float8) as "cacheRead", sum((doc->>'costUsd')::float8) as cost
        from arrakis.proj_stats where key like 'response:%' group by 1, 2`;
    expect(rows.map((r) => keyOf(r.day, r.model)).sort()).toEqual([...daily.keys()].sort());
    for (const { day, model, ...counts } of rows) {
      expect(tokensOnly(daily.get(keyOf(day, model))!)).toEqual(tokensOnly(counts));
      expect(daily.get(keyOf(day, model))!.cost).toBeCloseTo(counts.cost, 9);
    }
    const { tokens } = await statsSummary(db.sql);
    const report = await dailyUsage(db.sql);
    for (const [model, t] of Object.entries(tokens.byModel)) {
      const days = report.daily.flatMap((d) => d.modelBreakdowns.filter((m) => m.modelName === model));
      expect(days.reduce((s, m) => s + m.outputTokens + m.inputTokens + m.cacheCreationTokens + m.cacheReadTokens, 0), model).toBe(t.input + t.output + t.cacheCreation + t.cacheRead);
      expect(days.reduce((s, m) => s + m.cost, 0), model).toBeCloseTo(t.costUsd, 9);
    }
  });

  it('differ from ccusage only by the named causes, computed from the lines', async () => {
    const theirs = runCcusage(home);
    const ours = await arrakisDaily();

    // ccusage's reckoning, from the lines: per response, the lines it counts (the first of each
    // requestId, every one without), each on its own day, all its cache writes at the 5-minute rate.
    const streamed = new Map<string, Counts>();
    const withoutRequestId = new Map<string, Counts>();
    const oneHourAtFiveMinuteRate = new Map<string, number>();
    const tally = { responses: 0, singleLine: 0, streamed: 0, streamedGrown: 0, streamedLinesDropped: 0, linesWithoutRequestId: 0, oneHourWrites: 0 };
    const bump = (map: Map<string, Counts>, key: string, counts: Counts, sign = 1) => map.set(key, add(map.get(key) ?? zero(), counts, sign));
    for (const response of responses()) {
      tally.responses++;
      const last = response.at(-1)!;
      const key = keyOf(dayOf(response[0]!.timestamp), last.model!);
      const seen = new Set<string>();
      const counted = response.filter((line) => {
        if (line.requestId === null) return true;
        if (seen.has(line.requestId)) return false;
        seen.add(line.requestId);
        return true;
      });
      if (response.length === 1) tally.singleLine++;
      tally.linesWithoutRequestId += response.filter((line) => line.requestId === null).length;
      for (const line of counted) {
        const oneHour = num((line.usage.cache_creation as Usage | undefined)?.ephemeral_1h_input_tokens);
        if (oneHour > 0) {
          tally.oneHourWrites++;
          oneHourAtFiveMinuteRate.set(key, (oneHourAtFiveMinuteRate.get(key) ?? 0) + priceOf(line) - priceOf(line, withoutSplit(line.usage)));
        }
      }
      const first = counted[0]!;
      if (counted.length === 1 && first !== last && first.requestId !== null) {
        tally.streamed++;
        tally.streamedLinesDropped += response.length - 1;
        // What the last line adds to the first: ccusage misses it (tokens, and their cost).
        const grown = add(countsOf(last.usage, priceOf(last)), countsOf(first.usage, priceOf(first)), -1);
        if (Object.values(tokensOnly(grown)).some((n) => n !== 0)) {
          tally.streamedGrown++;
          bump(streamed, key, grown);
        }
      } else if (counted.length > 1) {
        // Every line counted: ccusage's sum less the last line's is what it counts too many.
        const all = counted.reduce((sum, line) => add(sum, countsOf(line.usage, priceOf(line))), zero());
        bump(withoutRequestId, key, add(all, countsOf(last.usage, priceOf(last)), -1));
      }
    }
    // ccusage counts lines on their own day; these fixtures have no response across midnight.
    for (const response of responses()) expect(new Set(response.map((l) => dayOf(l.timestamp))).size).toBe(1);

    expect([...theirs.keys()].sort()).toEqual([...ours.keys()].sort());
    const identical: string[] = [];
    for (const [key, mine] of ours) {
      const expectedTheirs = add(add(mine, streamed.get(key) ?? zero(), -1), withoutRequestId.get(key) ?? zero());
      expectedTheirs.cost -= oneHourAtFiveMinuteRate.get(key) ?? 0;
      expect(tokensOnly(theirs.get(key)!), key).toEqual(tokensOnly(expectedTheirs));
      // The same rates in both price tables (LiteLLM's bundled in ccusage, genai-prices here) for these models.
      expect(theirs.get(key)!.cost, key).toBeCloseTo(expectedTheirs.cost, 9);
      if (!streamed.has(key) && !withoutRequestId.has(key) && !oneHourAtFiveMinuteRate.has(key)) {
        identical.push(key);
        expect(theirs.get(key)).toEqual({ ...mine, cost: expect.closeTo(mine.cost, 9) });
      }
    }
    const total = (map: Map<string, Counts>) => [...map.values()].reduce((a, b) => add(a, b), zero());
    // The fixtures hold each cause but one (every line has a requestId): the comparison above exercises them.
    expect(tally).toMatchObject({ linesWithoutRequestId: 0 });
    expect(tally.streamedGrown).toBeGreaterThan(0);
    expect(tally.oneHourWrites).toBeGreaterThan(0);
    expect(identical.length).toBeGreaterThan(0);
    expect(total(streamed).output).toBeGreaterThan(0);
  }, 60_000);
});
