import type { ExportData, ExportMessage } from './load.js';
import { commandText, factRows, markerText, toolGist, toolInput, toolResult, toolStatus, when } from './text.js';
import { turnsOf, type Entry, type Run } from './turns.js';

// GitHub renders <details> and <summary> as HTML: what goes inside <summary> is escaped, and a
// blank line after it lets Markdown render again inside.
const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A fenced block its content cannot close: the fence is longer than any backtick run inside. */
export function fenced(text: string, lang = ''): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${lang}\n${text.replace(/\n$/, '')}\n${fence}`;
}

const details = (summary: string, body: string) => `<details>\n<summary>${escapeHtml(summary)}</summary>\n\n${body}\n\n</details>`;

// HTML written in a message is part of what was said (the UI shows it as text): outside code,
// where GitHub would render or strip it, `<` is escaped, so that `<Foo>` reads as written and
// nothing closes the <details> around it.
const CODE = /(^(`{3,}|~{3,})[^\n]*\n[\s\S]*?^\2[`~]*$|`+[^`\n]*`+)/gm;
export const asText = (text: string) => text.split(CODE).map((part, i) => (i % 3 === 0 ? part.replace(/&/g, '&amp;').replace(/</g, '&lt;') : i % 3 === 1 ? part : '')).join('');

const quote = (text: string) => text.split('\n').map((line) => (line ? `> ${line}` : '>')).join('\n');

// A Markdown table cell: one line, no pipes.
const cell = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/\|/g, '\\|').replace(/\n/g, ' ');

function tool(m: ExportMessage, run: Run | undefined): string {
  const gist = toolGist(m);
  const input = toolInput(m);
  const result = toolResult(m);
  const parts = [
    input ? fenced(input.text, input.lang) : '',
    m.error ? `**Error**\n\n${fenced(m.error)}` : '',
    result !== null ? `**Result**\n\n${fenced(result)}` : '',
    run ? runBlock(run) : '',
  ].filter(Boolean);
  return details(`${m.toolName ?? 'tool'}${gist ? `: ${gist}` : ''} (${toolStatus(m)})`, parts.join('\n\n') || '_no input_');
}

function runBlock(run: Run): string {
  return details(`Subagent${run.agentType ? ` ${run.agentType}` : ''} (${run.entries.length} messages)`, run.entries.map(entry).join('\n\n'));
}

function message(m: ExportMessage, run: Run | undefined, continued = false): string {
  switch (m.kind) {
    case 'prompt':
      return `**${m.agentId ? 'Task' : 'You'}**\n\n${quote(asText(m.text ?? ''))}`;
    case 'assistant': {
      const thinking = m.thinking?.trim() ? details('Thinking', asText(m.thinking)) : '';
      return [continued ? '' : `**Claude**${m.model && !m.model.startsWith('<') ? ` · ${m.model}` : ''}`, thinking, asText(m.text?.trim() ?? '')].filter(Boolean).join('\n\n');
    }
    case 'tool':
      return tool(m, run);
    case 'command': {
      const { label, text } = commandText(m.text ?? '');
      return `**${label}**\n\n${fenced(text)}`;
    }
    default: {
      const line = `_${markerText(m).replace(/_/g, '\\_')}_ · ${when(m.at)}`;
      const more = (m.kind === 'compaction' || m.kind === 'subagent') && m.text ? details(m.kind === 'compaction' ? 'Summary' : 'Last message', asText(m.text)) : '';
      return [line, more, run ? runBlock(run) : ''].filter(Boolean).join('\n\n');
    }
  }
}

const entry = (e: Entry): string => (e.message ? message(e.message, e.run, e.continued) : runBlock(e.run));

/** The conversation as one Markdown file that reads well on GitHub. */
export function renderMarkdown(data: ExportData, now = new Date()): string {
  const head = [
    `# ${cell(data.conversation.title || 'Untitled conversation')}`,
    ['| | |', '| --- | --- |', ...factRows(data, (text) => `\`${text}\``).map(([k, v]) => `| ${k} | ${cell(v)} |`)].join('\n'),
  ];
  const turns = turnsOf(data.messages).map((turn) => {
    const heading = turn.prompt ? `## Turn ${turn.number} · ${when(turn.prompt.at)}` : '## Before the first prompt';
    return [heading, turn.prompt ? message(turn.prompt, undefined) : '', ...turn.entries.map(entry)].filter(Boolean).join('\n\n');
  });
  return `${[...head, ...turns, '---', `_Exported from Arrakis on ${when(now.toISOString())}._`].join('\n\n')}\n`;
}
