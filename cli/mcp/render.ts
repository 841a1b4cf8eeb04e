import type { Message } from '../../projections/messages/index.js';

// Tool output dwarfs the conversation around it; a model asking for a page of history wants
// what was said and done, so text is cut with a note saying how much is left out.
export const TEXT_LIMIT = 4000;
export const OUTPUT_LIMIT = 600;
export const OUTPUT_LINES = 12;

export function truncate(text: string, limit: number): string {
  if (text.length <= limit) return text;
  return `${text.slice(0, limit)}\n[… ${(text.length - limit).toLocaleString('en-US')} more characters cut; the UI and the log keep it whole]`;
}

/** Tool output: the first lines, at most OUTPUT_LIMIT characters of them. */
export function truncateOutput(text: string): string {
  const lines = text.split('\n');
  if (lines.length <= OUTPUT_LINES) return truncate(text, OUTPUT_LIMIT);
  const kept = lines.slice(0, OUTPUT_LINES).join('\n');
  if (kept.length > OUTPUT_LIMIT) return truncate(text, OUTPUT_LIMIT);
  return `${kept}\n[… ${(lines.length - OUTPUT_LINES).toLocaleString('en-US')} more lines cut; the UI and the log keep them whole]`;
}

/** A tool result as text: hook results are objects (stdout/stderr), transcript ones content blocks. */
export function textOf(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map((part) => (part && typeof part === 'object' && 'text' in part ? String(part.text) : textOf(part))).join('\n');
  if (typeof value === 'object') {
    const { stdout, stderr, content } = value as { stdout?: unknown; stderr?: unknown; content?: unknown };
    if (typeof stdout === 'string' || typeof stderr === 'string') return [stdout, stderr].filter((s) => typeof s === 'string' && s !== '').join('\n');
    if (content !== undefined) return textOf(content);
  }
  return JSON.stringify(value);
}

const ARGUMENT_KEYS = ['command', 'file_path', 'path', 'pattern', 'url', 'query', 'description', 'prompt'];

/** `Bash(npm test)`: the tool and the one argument that says what it did. */
export function toolCall(name: string | undefined, input: unknown): string {
  const fields = input && typeof input === 'object' ? (input as Record<string, unknown>) : {};
  const key = ARGUMENT_KEYS.find((k) => typeof fields[k] === 'string');
  const argument = key ? String(fields[key]) : input === undefined ? '' : JSON.stringify(input);
  return `${name ?? 'tool'}(${truncate(argument.replace(/\s+/g, ' '), 200)})`;
}

const time = (at: string) => at.replace('T', ' ').replace(/\.\d+Z$/, 'Z');

/** One timeline entry as plain text for a model, or null for entries that say nothing to it. */
export function renderMessage(m: Message & { key: string }): string | null {
  const head = `[${time(m.at)}]${m.agentId ? ` (subagent ${m.agentId})` : ''}`;
  switch (m.kind) {
    case 'prompt':
      return `${head} User: ${truncate(m.text ?? '', TEXT_LIMIT)}`;
    case 'assistant': {
      // Thinking is left out: what was said and done is the history, and it is often huge.
      if (!m.text) return null;
      return `${head} Assistant${m.model ? ` (${m.model})` : ''}: ${truncate(m.text, TEXT_LIMIT)}`;
    }
    case 'command':
      return `${head} Command: ${truncateOutput(m.text ?? '')}`;
    case 'tool': {
      const status = m.status === 'failed' ? 'failed' : m.status === 'running' ? 'no result' : 'ok';
      const took = m.durationMs === undefined ? '' : `, ${m.durationMs} ms`;
      const output = m.error ?? textOf(m.result);
      return `${head} Tool ${toolCall(m.toolName, m.input)} → ${status}${took}${output ? `\n  ${truncateOutput(output).replaceAll('\n', '\n  ')}` : ''}`;
    }
    case 'notification':
      return `${head} Notification: ${m.text ?? m.title ?? ''}`;
    case 'compaction':
      return m.stage === 'pre' ? null : `${head} Context compacted${m.trigger ? ` (${m.trigger})` : ''}${m.text ? `; summary: ${truncate(m.text, OUTPUT_LIMIT)}` : ''}`;
    case 'subagent':
      return `${head} Subagent ${m.agentType ?? ''} ${m.agentId ?? ''} ${m.status ?? ''}${m.text ? `: ${truncate(m.text, OUTPUT_LIMIT)}` : ''}`.replace(/\s+:/, ':');
    case 'session':
      return `${head} Session ${m.event === 'end' ? `ended${m.reason ? ` (${m.reason})` : ''}` : `started${m.source ? ` (${m.source})` : ''}`}`;
    default:
      return null;
  }
}

/** A page as the UI shows it: the hook copies a line took in (`pairedKeys`) are left out. */
export function renderPage(items: Array<Message & { key: string }>): string[] {
  const folded = new Set(items.flatMap((m) => m.pairedKeys ?? []));
  return items.filter((m) => !folded.has(m.key)).map(renderMessage).filter((line): line is string => line !== null);
}
