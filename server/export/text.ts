import type { ExportData, ExportMessage } from './load.js';

// Shared by the Markdown and HTML renderings, so both say the same things in the same words.

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007]*\u0007/g;
export const stripAnsi = (text: string): string => text.replace(ANSI, '');

const record = (value: unknown): Record<string, unknown> => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {});
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const json = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value, null, 2) ?? String(value));

/** An instant as people read it in a file that may be opened anywhere: UTC, to the second. */
export const when = (iso: string | null | undefined): string => (iso && !Number.isNaN(Date.parse(iso)) ? `${new Date(iso).toISOString().slice(0, 19).replace('T', ' ')} UTC` : '');

export const usd = (value: number): string => `$${value.toFixed(value > 0 && value < 0.01 ? 4 : 2)}`;

export function duration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** The facts of the header: every model seen, and the cost when something was priced. */
export function facts(data: ExportData): { models: string[]; costUsd: number | null } {
  const models = new Set(Object.keys(data.byModel));
  if (data.conversation.model) models.add(data.conversation.model);
  for (const m of data.messages) if (m.kind === 'assistant' && m.model && !m.model.startsWith('<')) models.add(m.model);
  const priced = Object.values(data.byModel).reduce((sum, t) => sum + t.costUsd, 0);
  const costUsd = data.conversation.costUsd || priced;
  return { models: [...models].sort(), costUsd: costUsd > 0 ? costUsd : null };
}

/**
 * The conversation's facts for an export's header, as label and value, without the empty ones;
 * `code` marks the values a format shows as code (Markdown backticks them, HTML does not).
 */
export function factRows(data: ExportData, code: (text: string) => string = (text) => text): Array<[string, string]> {
  const c = data.conversation;
  const { models, costUsd } = facts(data);
  const rows: Array<[string, string | null | undefined]> = [
    ['Project', c.project],
    ['Directory', c.cwd ? code(c.cwd) : null],
    ['Branch', c.gitBranch ? code(c.gitBranch) : null],
    ['Started', when(c.startedAt)],
    ['Last activity', when(c.lastActivityAt)],
    ['Ended', c.endedAt ? `${when(c.endedAt)}${c.endReason ? ` (${c.endReason})` : ''}` : null],
    [models.length > 1 ? 'Models' : 'Model', models.join(', ')],
    ['Cost', costUsd === null ? null : usd(costUsd)],
    ['Prompts · messages · tool uses', `${c.promptCount} · ${c.messageCount} · ${c.toolUseCount}${c.toolFailureCount ? ` (${c.toolFailureCount} failed)` : ''}`],
    ['Session', code(c.sessionId)],
  ];
  return rows.filter((row): row is [string, string] => Boolean(row[1]));
}

const cut = (text: string, max = 80) => {
  const line = text.trim().split('\n')[0] ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
};

/** A few words saying what a tool call was about, for its collapsed summary line. */
export function toolGist(m: ExportMessage): string {
  const input = record(m.input);
  const first = str(input.command) ?? str(input.file_path) ?? str(input.notebook_path) ?? str(input.pattern) ?? str(input.url) ?? str(input.query) ?? str(input.description) ?? str(input.prompt);
  return first ? cut(first) : '';
}

/** What a call was asked, as a fenced block's language and text. */
export function toolInput(m: ExportMessage): { lang: string; text: string } | null {
  if (m.input === undefined || m.input === null) return null;
  const input = record(m.input);
  const command = str(input.command);
  if ((m.toolName === 'Bash' || m.toolName === 'BashOutput') && command !== undefined) return { lang: 'sh', text: command };
  const edits = m.toolName === 'Edit' ? [input] : m.toolName === 'MultiEdit' && Array.isArray(input.edits) ? input.edits.map(record) : null;
  if (edits && edits.every((e) => str(e.old_string) !== undefined && str(e.new_string) !== undefined)) {
    const lines = (text: string, sign: string) => text.split('\n').map((l) => `${sign}${l}`);
    const hunks = edits.flatMap((e) => ['@@', ...lines(str(e.old_string)!, '-'), ...lines(str(e.new_string)!, '+')]);
    return { lang: 'diff', text: [`--- ${str(input.file_path) ?? ''}`, `+++ ${str(input.file_path) ?? ''}`, ...hunks].join('\n') };
  }
  if (m.toolName === 'Write' && str(input.content) !== undefined) return { lang: '', text: `${str(input.file_path) ?? ''}\n\n${str(input.content)}` };
  return { lang: 'json', text: json(m.input) };
}

// Edits echo the file and the patch back; their input already shows it.
const echoes = new Set(['Edit', 'MultiEdit', 'Write', 'NotebookEdit', 'TodoWrite']);

/** What a call answered, as text: a command's output, a file read, text blocks, or JSON. */
export function toolResult(m: ExportMessage): string | null {
  const result = m.result;
  if (result === undefined || result === null) return null;
  if (typeof result === 'string') return stripAnsi(result);
  if (Array.isArray(result)) {
    const texts = result.map((block) => str(record(block).text));
    if (texts.every((t) => t !== undefined)) return stripAnsi(texts.join('\n'));
  }
  const r = record(result);
  if (str(r.stdout) !== undefined || str(r.stderr) !== undefined) {
    return stripAnsi([str(r.stdout), str(r.stderr)].filter((s) => s).join('\n')) || '(no output)';
  }
  const file = str(record(r.file).content);
  if (file !== undefined) return file;
  return echoes.has(m.toolName ?? '') ? null : json(result);
}

const tagged = /<(bash-input|bash-stdout|bash-stderr|command-name|command-message|command-args|local-command-stdout)>([\s\S]*?)<\/\1>/g;

/** A `!` shell run or a slash command without Claude Code's wrapper tags (see ui/src/conversation/command.ts). */
export function commandText(raw: string): { label: string; text: string } {
  const parts = new Map<string, string>();
  const rest = raw.replace(tagged, (_all, name: string, body: string) => {
    parts.set(name, parts.has(name) ? `${parts.get(name)}\n${body}` : body);
    return '';
  }).trim();
  if (parts.size === 0) return { label: 'Command', text: raw };
  const input = parts.get('bash-input');
  const name = parts.get('command-name');
  const label = input !== undefined ? 'Shell' : name !== undefined ? 'Slash command' : 'Command output';
  const lines = [
    input !== undefined ? `$ ${input.trim()}` : undefined,
    name !== undefined ? [name.trim(), parts.get('command-args')?.trim()].filter(Boolean).join(' ') : undefined,
    ...['bash-stdout', 'bash-stderr', 'local-command-stdout'].map((k) => (parts.has(k) ? stripAnsi(parts.get(k)!).replace(/\n+$/, '') : undefined)),
    rest || undefined,
  ];
  return { label, text: lines.filter((l) => l !== undefined && l !== '').join('\n') };
}

/** The one line a marker (notification, compaction, session, subagent) reads as. */
export function markerText(m: ExportMessage): string {
  switch (m.kind) {
    case 'notification':
      return `Notification${m.title ? `: ${m.title}` : ''}${m.text ? ` — ${m.text}` : ''}`;
    case 'compaction':
      return `Context compacted${m.stage === 'pre' ? ' (starting)' : ''}${m.trigger ? `, ${m.trigger}` : ''}${m.preTokens ? `, from ${m.preTokens.toLocaleString('en-US')} tokens` : ''}`;
    case 'session':
      return m.event === 'end' ? `Session ended${m.reason ? ` (${m.reason})` : ''}` : `Session started${m.source ? ` (${m.source})` : ''}${m.model ? ` · ${m.model}` : ''}`;
    case 'subagent':
      return `Subagent ${m.agentType ?? ''} ${m.status === 'running' ? 'started' : 'finished'}`.replace(/ {2}/, ' ');
    default:
      return m.kind;
  }
}

/** A tool call's status line: ok, failed or running, and how long it took. */
export const toolStatus = (m: ExportMessage): string => [m.status ?? 'no result', duration(m.durationMs)].filter(Boolean).join(' · ');
