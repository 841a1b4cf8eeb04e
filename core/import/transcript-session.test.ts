import { describe, expect, it } from 'vitest';
import { transcriptFileKey } from '../transcript-line.js';
import { transcriptSession } from './transcript-files.js';

const S = '0c1e9a52-7d0b-4c3e-9f1a-2b3c4d5e6f70';
const root = '/home/dev/.claude/projects/-home-dev-app';

describe('transcriptSession: the session a file of lines without a sessionId is filed under', () => {
  it('given a session file or a subagent file directly under subagents, then it is the session', () => {
    expect(transcriptSession(`${root}/${S}.jsonl`)).toBe(S);
    expect(transcriptSession(`${root}/${S}/subagents/agent-a1b2.jsonl`)).toBe(S);
  });

  it('given a workflow journal or agent file deeper under subagents, then it is the folder before subagents', () => {
    expect(transcriptSession(`${root}/${S}/subagents/workflows/wf_77/journal.jsonl`)).toBe(S);
    expect(transcriptSession(`${root}/${S}/subagents/workflows/wf_77/agent-c3d4.jsonl`)).toBe(S);
  });

  it('given no subagents folder, then it is the nearest ancestor folder named like a session', () => {
    expect(transcriptSession(`${root}/${S}/tools/wf_1/journal.jsonl`)).toBe(S);
  });

  it('leaves the file key, and so every requestId, as it was', () => {
    expect(transcriptFileKey(`${root}/${S}/subagents/agent-a1b2.jsonl`)).toBe(`${S}/subagents/agent-a1b2.jsonl`);
    expect(transcriptFileKey(`${root}/${S}/subagents/workflows/wf_77/journal.jsonl`)).toBe('journal.jsonl');
  });
});
