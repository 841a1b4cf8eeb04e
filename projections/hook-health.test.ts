import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../core/events.js';
import { stored, transcriptLine } from '../test/support/stored.js';
import { hookHealthProjection, type HookHealthDoc } from './hook-health.js';
import { fold } from './projection.js';
import { statsProjection } from './stats.js';
import { deepFreeze } from '../test/support/freeze.js';

const project = (events: readonly StoredEvent[]) =>
  fold<HookHealthDoc>(
    { ...hookHealthProjection, evolve: (doc, event, key) => hookHealthProjection.evolve(doc && deepFreeze(doc), deepFreeze(event), key) },
    events,
  );

const t0 = Date.parse('2026-11-25T10:00:00Z');
/** A hook event captured at t0 + capturedS seconds and received lagS seconds later. */
const hook = (client: StoredEvent['client'], capturedS: number, lagS = 0.05) =>
  stored('PostToolUse', { session_id: 's1' }, { client, capturedAt: new Date(t0 + capturedS * 1000), receivedAt: new Date(t0 + (capturedS + lagS) * 1000) });

describe('hook health', () => {
  it('counts deliveries, retries and reported attempts per host', () => {
    const docs = project([
      hook({ host: 'devbox', hookVersion: '1.0.0', attempt: 1 }, 0),
      hook({ host: 'devbox', hookVersion: '1.0.0', attempt: 3 }, 10),
      hook({ host: 'devbox', hookVersion: '1.0.0', attempt: 2 }, 20),
      hook({ host: 'laptop', hookVersion: '1.1.0' }, 30),
    ]);
    expect(docs.get('devbox')).toEqual({
      host: 'devbox',
      firstSeen: '2026-11-25T10:00:00.050Z',
      lastSeen: '2026-11-25T10:00:20.050Z',
      events: 3,
      hookVersion: '1.0.0',
      hookVersionAt: '2026-11-25T10:00:20.000Z',
      retries: 2,
      attempts: 6,
      late: { count: 0, maxLagMs: 0 },
    });
    expect(docs.get('laptop')).toMatchObject({ events: 1, retries: 0, attempts: 0, hookVersion: '1.1.0' });
    expect(hookHealthProjection.index!(docs.get('laptop')!, 'laptop')).toEqual({ at: '2026-11-25T10:00:30.050Z' });
  });

  it('reports arrivals more than 60 s after capture as late, with the oldest spool age', () => {
    const docs = project([
      hook({ host: 'devbox' }, 0, 60),
      hook({ host: 'devbox' }, 0, 61),
      hook({ host: 'devbox' }, 5, 3600),
      hook({ host: 'devbox' }, 10, 2),
    ]);
    expect(docs.get('devbox')).toMatchObject({ events: 4, late: { count: 2, maxLagMs: 3_600_000 } });
  });

  it('keeps the hook version of the latest capture, not of a spool flushed late, and the true first and last seen', () => {
    const docs = project([
      hook({ host: 'devbox', hookVersion: '2.0.0' }, 100),
      hook({ host: 'devbox', hookVersion: '1.9.0' }, 0, 200), // spooled before the upgrade, delivered after
      hook({ host: 'devbox' }, 150),
      hook({ host: 'devbox', hookVersion: '1.8.0' }, -50, 0), // a parked event retried after later ones
    ]);
    expect(docs.get('devbox')).toMatchObject({
      hookVersion: '2.0.0',
      firstSeen: '2026-11-25T09:59:10.000Z',
      lastSeen: '2026-11-25T10:03:20.000Z',
    });
  });

  it('skips transcript lines, which carry no client block, and files hosts it cannot name under unknown', () => {
    const docs = project([
      transcriptLine({ type: 'user', message: { role: 'user', content: 'hi' } }, { client: null }),
      transcriptLine({ type: 'user', message: { role: 'user', content: 'hi' } }, { client: { host: 'devbox' } }),
      hook({}, 0),
      hook({ host: '' }, 1),
      hook({ host: 42, hookVersion: {}, attempt: 'twice' } as unknown as StoredEvent['client'], 2),
    ]);
    expect([...docs.keys()]).toEqual(['unknown']);
    expect(docs.get('unknown')).toMatchObject({ events: 3, hookVersion: null, retries: 0, attempts: 0 });
  });
});

const fixtures = join(import.meta.dirname, '../../shared/fixtures/claude-code');

describe.skipIf(!existsSync(fixtures))('hook health and stats over the real hook payloads in shared/fixtures', () => {
  const files = existsSync(fixtures) ? readdirSync(fixtures).filter((name) => name.includes('hook_stdin')) : [];

  it.each(files)('%s: folds without throwing', (name) => {
    const events = readFileSync(join(fixtures, name), 'utf8')
      .split('\n')
      .filter((text) => text.trim() !== '')
      .map((text) => {
        const payload = JSON.parse(text) as { hook_event_name?: string };
        return stored(payload.hook_event_name ?? 'unknown', payload, { client: { host: 'fixture', hookVersion: '0.1.0', attempt: 1 } });
      });
    expect(project(events).get('fixture')).toMatchObject({ events: events.length, retries: 0 });
    // Independently: a use per distinct tool_use_id, or per PreToolUse where payloads had no ids.
    const expected = new Map<string, Set<string>>();
    for (const { type, payload } of events) {
      const { tool_name: tool, tool_use_id: id } = payload as { tool_name?: string; tool_use_id?: string };
      if (!tool || !['PreToolUse', 'PostToolUse', 'PostToolUseFailure'].includes(type) || (!id && type !== 'PreToolUse')) continue;
      expected.set(tool, (expected.get(tool) ?? new Set()).add(id ?? `pre-${expected.get(tool)?.size ?? 0}`));
    }
    // Uses with an id are one document each; id-less hooks are tallied per session and tool.
    const uses = new Map<string, number>();
    for (const doc of fold(statsProjection, events).values()) {
      if (doc.kind === 'tooluse' && doc.name) uses.set(doc.name, (uses.get(doc.name) ?? 0) + 1);
      if (doc.kind === 'tool') uses.set(doc.name, (uses.get(doc.name) ?? 0) + doc.uses);
    }
    expect(uses).toEqual(new Map([...expected].map(([tool, ids]) => [tool, ids.size])));
  });
});
