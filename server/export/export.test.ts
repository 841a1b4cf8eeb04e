import { describe, expect, it } from 'vitest';
import type { ConversationSummary } from '../../projections/conversations/queries.js';
import { renderHtml } from './html.js';
import type { ExportData, ExportMessage } from './load.js';
import { fenced, renderMarkdown } from './markdown.js';
import { REDACTED, redactDeep, redactText } from './redact.js';
import { exportFilename, renderExport } from './render.js';

const S = 'dddddddd-1111-4000-8000-000000000001';
const at = (s: number) => new Date(Date.UTC(2026, 2, 1, 10, 0, s)).toISOString();
let n = 0;
const msg = (m: Partial<ExportMessage> & Pick<ExportMessage, 'kind'>): ExportMessage => ({ key: `${m.kind}:${S}:${++n}`, sessionId: S, at: at(n), sources: [n], ...m });

const conversation = {
  sessionId: S, title: 'Fix the <parser> test', titleSource: 'prompt', cwd: '/home/alice/app', project: 'app', gitBranch: 'main', model: 'claude-sonnet-4-5',
  hosts: ['devbox'], status: 'ended', startedAt: at(0), lastActivityAt: at(30), endedAt: at(30), endReason: 'exit', promptCount: 1, messageCount: 3,
  toolUseCount: 2, toolFailureCount: 1, subagentCount: 0, compactions: 0, agents: [], costUsd: 0.1234,
} as unknown as ConversationSummary;

const hostile = '<script>alert(1)</script><img src=x onerror=alert(2)>';
const data: ExportData = {
  conversation,
  byModel: { 'claude-sonnet-4-5': { input: 10, output: 20, cacheRead: 0, cacheCreation: 0, costUsd: 0.1234, priced: 'exact' } },
  messages: [
    msg({ kind: 'prompt', text: 'Fix the failing test in /home/alice/app/parser.ts\nkey: sk-ant-api03-abcdefghijklmnopqrstuvwxyz012345' }),
    msg({ kind: 'assistant', model: 'claude-sonnet-4-5', thinking: 'The parser fails on nested input.', text: 'Let me run **the tests**.\n\n```ts\nconst a = 1 < 2;\n```\n\n[bad](javascript:alert(3)) <b onmouseover=alert(4)>x</b>' }),
    msg({ kind: 'tool', toolName: 'Bash', toolUseId: 't1', input: { command: 'npm test' }, result: { stdout: `PASS\n${hostile}`, stderr: '' }, status: 'ok', durationMs: 900 }),
    msg({ kind: 'tool', toolName: 'Read', toolUseId: 't2', input: { file_path: '/home/alice/app/x.html' }, result: hostile, error: 'boom ```', status: 'failed' }),
    msg({ kind: 'assistant', model: 'claude-sonnet-4-5', text: 'Fixed: the tests pass.' }),
    msg({ kind: 'assistant', model: 'claude-sonnet-4-5', text: '\n\n' }),
  ],
};
const now = new Date(Date.UTC(2026, 2, 2));

describe('the Markdown export', () => {
  const md = renderMarkdown(data, now);

  it('has the facts, a heading per turn, the prompt, and the answers as Markdown', () => {
    expect(md).toMatch(/^# Fix the &lt;parser> test\n/);
    expect(md).toContain('| Project | app |');
    expect(md).toContain('| Started | 2026-03-01 10:00:00 UTC |');
    expect(md).toContain('| Model | claude-sonnet-4-5 |');
    expect(md).toContain('| Cost | $0.12 |');
    expect(md).toContain(`## Turn 1 · ${'2026-03-01 10:00:01 UTC'}`);
    expect(md).toContain('> Fix the failing test in /home/alice/app/parser.ts');
    expect(md).toContain('Let me run **the tests**.\n\n```ts\nconst a = 1 < 2;\n```\n\n[bad](javascript:alert(3)) &lt;b onmouseover=alert(4)>x&lt;/b>');
    expect(md).toContain('<details>\n<summary>Thinking</summary>\n\nThe parser fails on nested input.\n\n</details>');
  });

  it('collapses each tool call, its input and output fenced, and escapes its summary', () => {
    expect(md).toContain('<details>\n<summary>Bash: npm test (ok · 900 ms)</summary>\n\n```sh\nnpm test\n```');
    expect(md).toContain(`**Result**\n\n\`\`\`\nPASS\n${hostile}\n\`\`\``);
    expect(md).toContain('<summary>Read: /home/alice/app/x.html (failed)</summary>');
    // An error holding a fence gets a longer one.
    expect(md).toContain('````\nboom ```\n````');
    expect(fenced('a ```` b')).toBe('`````\na ```` b\n`````');
  });
});

describe('the HTML export', () => {
  const html = renderHtml(data, now);

  it('is one file: inline styles, no script, a policy that refuses any', () => {
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<style>');
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`);
    expect(html).not.toMatch(/<(script|img|link|iframe|b)\b/i);
    expect(html).not.toMatch(/<[a-z][^>]*\son\w+=/i);
    expect(html).not.toMatch(/href="(?!https?:|mailto:)/i);
  });

  it('shows what a tool answered as text, and the answer as Markdown', () => {
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;');
    expect(html).toContain('<title>Fix the &lt;parser&gt; test</title>');
    expect(html).toContain('<strong>the tests</strong>');
    expect(html).toContain('<pre><code>const a = 1 &lt; 2;</code></pre>');
    expect(html).toContain('&lt;b onmouseover=alert(4)&gt;');
    expect(html).toContain('<details class="thinking"><summary>Thinking</summary>');
    expect(html).toMatch(/<details class="tool" data-status="ok"><summary><code>Bash<\/code> npm test/);
    expect(html).toContain('<dt>Cost</dt><dd>$0.12</dd>');
    expect(html).toContain('<h2>Turn 1 · 2026-03-01 10:00:01 UTC</h2>');
  });
});

describe('redaction', () => {
  it('turns home directories into ~', () => {
    expect(redactText('cd /home/alice/app && ls /Users/bob')).toBe('cd ~/app && ls ~');
    expect(redactText('C:\\Users\\carol\\src and C:/Users/carol/x')).toBe('~\\src and ~/x');
    expect(redactText('/home/dev/.claude/projects/-home-dev-app/s.jsonl')).toBe(`~/.claude/projects/${REDACTED}/s.jsonl`);
    expect(redactText('/var/home/x stays, /rootfs too')).toBe('/var/home/x stays, /rootfs too');
  });

  it('replaces what looks like a secret, and leaves ordinary words alone', () => {
    expect(redactText('ANTHROPIC_API_KEY=sk-ant-api03-abcdefghijklmnopqrstuvwxyz012345')).toBe(`ANTHROPIC_API_KEY=${REDACTED}`);
    expect(redactText('use sk-ant-api03-abcdefghijklmnop_QRS-tuv here')).toBe(`use ${REDACTED} here`);
    expect(redactText('openai sk-proj-Abcdefghijklmnopqrstuvwx12')).toBe(`openai ${REDACTED}`);
    expect(redactText('gh: ghp_abcdefghijklmnopqrstuvwxyz0123456789')).toBe(`gh: ${REDACTED}`);
    expect(redactText('aws AKIAIOSFODNN7EXAMPLE key')).toBe(`aws ${REDACTED} key`);
    expect(redactText('Authorization: Bearer abc.DEF-123_456~789xyz')).toBe(`Authorization: Bearer ${REDACTED}`);
    expect(redactText('curl "https://x/?token=f3Kq9ZpL2mXv8RtY7wB1" -d password=hunter2')).toBe(`curl "https://x/?token=${REDACTED}" -d password=${REDACTED}`);
    expect(redactText('{"client_secret": "Zx81kQ0pLm3N"}')).toBe(`{"client_secret": "${REDACTED}"}`);
    expect(redactText('max_tokens=4096, token=refresh, the password: $PASSWORD, task-runner-sk-thing')).toBe('max_tokens=4096, token=refresh, the password: $PASSWORD, task-runner-sk-thing');
  });

  it('walks every string of the data, keys that name a secret included, and keeps its shape', () => {
    const out = redactDeep({ a: ['/home/alice/x', 3], input: { password: 'pw12', command: 'echo sk-ant-abcdefghijkl' }, n: null });
    expect(out).toEqual({ a: ['~/x', 3], input: { password: REDACTED, command: `echo ${REDACTED}` }, n: null });
  });

  it('applies to the rendered file and its name', () => {
    const { body, filename, contentType } = renderExport(data, { format: 'md', redact: true, now });
    expect(body).not.toContain('alice');
    expect(body).not.toContain('sk-ant-');
    expect(body).toContain('> Fix the failing test in ~/app/parser.ts');
    expect(body).toContain(`> key: ${REDACTED}`);
    expect(filename).toBe('fix-the-parser-test-dddddddd.md');
    expect(contentType).toBe('text/markdown; charset=utf-8');
    expect(exportFilename({ ...data, conversation: { ...conversation, title: null } }, 'html')).toBe('conversation-dddddddd.html');
  });
});
