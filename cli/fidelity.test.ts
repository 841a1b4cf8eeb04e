import { existsSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import { countFile, repeatedPrompts, resultsOfUses } from './fidelity-files.js';
import { fidelity } from './fidelity.js';

const S = '11111111-1111-4111-8111-111111111111';
const user = (text: string, extra = {}) => ({ type: 'user', sessionId: S, uuid: text, message: { role: 'user', content: text }, ...extra });

describe('fidelity: counting the files', () => {
  it('counts every typed prompt, repeats included, and only the main thread', () => {
    const c = countFile([user('fix it'), user('fix it'), user('<command-name>/clear</command-name>'), user('sub', { agentId: 'a1' }),
      user('side', { isSidechain: true, parentUuid: null }), user('summary', { isCompactSummary: true })], `${S}.jsonl`).get(S)!;
    expect(c.prompts).toBe(2);
    expect(repeatedPrompts(c)).toBe(1);
    expect(c.agents).toEqual(new Set(['a1']));
    expect(c.sidechainRuns).toBe(1);
    expect(c.compactions).toBe(1);
  });

  it('counts assistant text, thinking, tool uses with results and errors, and a summary after its boundary once', () => {
    const lines = [
      { type: 'assistant', sessionId: S, message: { content: [{ type: 'thinking', thinking: 'hm' }, { type: 'text', text: 'ok' }, { type: 'tool_use', id: 't1', name: 'Task' }, { type: 'tool_use', id: 't2', name: 'Bash' }] } },
      { type: 'user', sessionId: S, message: { content: [{ type: 'tool_result', tool_use_id: 't1' }, { type: 'tool_result', tool_use_id: 't2', is_error: true }] } },
      { type: 'system', sessionId: S, subtype: 'compact_boundary' },
      user('the summary', { isCompactSummary: true }),
    ];
    const c = countFile(lines, `${S}.jsonl`).get(S)!;
    expect([c.assistantText, c.thinking, c.toolUses.size, resultsOfUses(c, c.toolResults), resultsOfUses(c, c.toolErrors), c.agentCalls, c.compactions, c.prompts]).toEqual([1, 1, 2, 2, 1, 1, 1, 0]);
  });

  it('takes the agent from a subagent file name and the session from the path', () => {
    const c = countFile([{ type: 'assistant', message: { content: 'x' } }], `${S}/subagents/agent-abc.jsonl`).get(S)!;
    expect(c.agents).toEqual(new Set(['abc']));
  });
});

const fixtures = '/work/shared/fixtures/claude-code';
describe.skipIf(!existsSync(fixtures))('fidelity: the shared fixtures', () => {
  it('completes with a TOTAL, every line read stored or skipped', async () => {
    let out = '';
    const { tally } = await fidelity([fixtures], inject('pgAdminUrl'), (t) => (out += t));
    expect(out).toContain('TOTAL');
    expect(tally.lines + tally.partial + tally.oversized).toBe(tally.stored + tally.duplicate + tally.partial + tally.oversized + tally.failed + tally.conflict);
  }, 120_000);
});
