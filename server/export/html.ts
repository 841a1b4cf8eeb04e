import { Marked } from 'marked';
import { STYLE } from './html-style.js';
import type { ExportData, ExportMessage } from './load.js';
import { commandText, factRows, markerText, toolGist, toolInput, toolResult, toolStatus, when } from './text.js';
import { turnsOf, type Entry, type Run } from './turns.js';

export const escapeHtml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

// Only web and mail links keep their href: javascript:, data: and the rest become plain text.
const SAFE_URL = /^(?:https?:|mailto:)/i;

/**
 * Markdown for assistant text, with every piece of it escaped: HTML written in a message is
 * part of what was said, shown as text; images become links (the file fetches nothing). No
 * sanitiser runs on the server, so nothing the parser passes through may be markup.
 */
const marked = new Marked({
  gfm: true,
  async: false,
  renderer: {
    html: ({ text }) => escapeHtml(text),
    code: ({ text }) => `<pre><code>${escapeHtml(text)}</code></pre>\n`,
    image: ({ href, text }) => (SAFE_URL.test(href) ? `<a href="${escapeHtml(href)}">${escapeHtml(text || href)}</a>` : escapeHtml(text || href)),
    link({ href, tokens }) {
      const inner = this.parser.parseInline(tokens);
      return SAFE_URL.test(href) ? `<a href="${escapeHtml(href)}" rel="noopener noreferrer nofollow">${inner}</a>` : inner;
    },
  },
});

const markdown = (text: string) => `<div class="md">${marked.parse(text) as string}</div>`;
const text = (value: string, cls = 'text') => `<div class="${cls}">${escapeHtml(value)}</div>`;
const pre = (value: string, cls?: string) => `<pre${cls ? ` class="${cls}"` : ''}>${escapeHtml(value)}</pre>`;

function tool(m: ExportMessage, run: Run | undefined): string {
  const gist = toolGist(m);
  const input = toolInput(m);
  const result = toolResult(m);
  return `<details class="tool" data-status="${escapeHtml(m.status ?? 'running')}"><summary><code>${escapeHtml(m.toolName ?? 'tool')}</code>${gist ? ` ${escapeHtml(gist)}` : ''} <span class="status">${escapeHtml(toolStatus(m))}</span></summary>
${input ? pre(input.text) : ''}${m.error ? `<div class="label">Error</div>${pre(m.error, 'error')}` : ''}${result !== null ? `<div class="label">Result</div>${pre(result, 'out')}` : ''}${run ? runBlock(run) : ''}</details>`;
}

function runBlock(run: Run): string {
  const title = `Subagent${run.agentType ? ` ${run.agentType}` : ''} (${run.entries.length} messages)`;
  return `<details class="subagent"><summary>${escapeHtml(title)}</summary><div class="run">${run.entries.map(entry).join('\n')}</div></details>`;
}

function message(m: ExportMessage, run: Run | undefined, continued = false): string {
  switch (m.kind) {
    case 'prompt':
      return `<div class="prompt"><div class="who">${m.agentId ? 'Task' : 'You'}</div>${text(m.text ?? '')}</div>`;
    case 'assistant': {
      const model = m.model && !m.model.startsWith('<') ? ` · ${escapeHtml(m.model)}` : '';
      const thinking = m.thinking?.trim() ? `<details class="thinking"><summary>Thinking</summary>${text(m.thinking)}</details>` : '';
      return `<div class="assistant">${continued ? '' : `<div class="who">Claude${model}</div>`}${thinking}${m.text?.trim() ? markdown(m.text) : ''}</div>`;
    }
    case 'tool':
      return tool(m, run);
    case 'command': {
      const { label, text: body } = commandText(m.text ?? '');
      return `<div class="command"><div class="who">${escapeHtml(label)}</div>${pre(body)}</div>`;
    }
    default: {
      const more = (m.kind === 'compaction' || m.kind === 'subagent') && m.text
        ? `<details><summary>${m.kind === 'compaction' ? 'Summary' : 'Last message'}</summary>${markdown(m.text)}</details>` : '';
      return `<div class="marker">${escapeHtml(`${markerText(m)} · ${when(m.at)}`)}</div>${more}${run ? runBlock(run) : ''}`;
    }
  }
}

const entry = (e: Entry): string => (e.message ? message(e.message, e.run, e.continued) : runBlock(e.run));

/**
 * The conversation as one self-contained HTML file: styles inlined, no script, and a policy
 * that would refuse one anyway, should a message ever get markup past the escaping.
 */
export function renderHtml(data: ExportData, now = new Date()): string {
  const c = data.conversation;
  const title = c.title || 'Untitled conversation';
  const dl = factRows(data).map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('');
  const turns = turnsOf(data.messages).map((turn) => {
    const heading = turn.prompt ? `Turn ${turn.number} · ${when(turn.prompt.at)}` : 'Before the first prompt';
    return `<section class="turn"><h2>${escapeHtml(heading)}</h2>\n${turn.prompt ? message(turn.prompt, undefined) : ''}\n${turn.entries.map(entry).join('\n')}</section>`;
  });
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<header><h1>${escapeHtml(title)}</h1><dl class="facts">${dl}</dl></header>
${turns.join('\n')}
<footer>Exported from Arrakis on ${escapeHtml(when(now.toISOString()))}.</footer>
</main>
</body>
</html>
`;
}
