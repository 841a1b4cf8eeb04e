import { stripAnsi } from './text.js';

/** How a `command` message reads: what kind of run it was, and its text without the wrappers. */
export interface CommandView {
  label: string;
  text: string;
}

const tagged = /<(bash-input|bash-stdout|bash-stderr|command-name|command-message|command-args|local-command-stdout)>([\s\S]*?)<\/\1>/g;

/**
 * Claude Code writes what the user ran themselves into the transcript wrapped in tags:
 * `!` shell runs as <bash-input>, then <bash-stdout> and <bash-stderr>; local slash commands
 * as <command-name>, <command-message> and <command-args>, then <local-command-stdout>. The
 * reader wants the command line and its output, not the markup. Text outside the known tags
 * is kept (appended), so nothing the line said is hidden; unknown shapes show as they came.
 */
export function commandView(raw: string): CommandView {
  const parts = new Map<string, string>();
  const rest = raw.replace(tagged, (_all, name: string, body: string) => {
    const before = parts.get(name);
    parts.set(name, before === undefined ? body : `${before}\n${body}`);
    return '';
  }).trim();
  // A line normally holds one kind; should it hold several, each is shown, in this order.
  const sections: Array<[label: string, text: string]> = [];
  const input = parts.get('bash-input');
  if (input !== undefined) sections.push(['Shell', `$ ${input.trim()}`]);
  const stdout = parts.get('bash-stdout');
  const stderr = parts.get('bash-stderr');
  if (stdout !== undefined || stderr !== undefined) {
    const output = [stdout, stderr].map((s) => stripAnsi(s ?? '').replace(/\n+$/, '')).filter((s) => s !== '').join('\n');
    sections.push(['Shell output', output || '(no output)']);
  }
  const name = parts.get('command-name');
  if (name !== undefined) sections.push(['Slash command', [name.trim(), parts.get('command-args')?.trim()].filter(Boolean).join(' ')]);
  const local = parts.get('local-command-stdout');
  if (local !== undefined) sections.push(['Command output', stripAnsi(local).trim() || '(no output)']);
  if (sections.length > 0) return { label: sections[0]![0], text: [...sections.map(([, text]) => text), ...(rest ? [rest] : [])].join('\n') };
  return { label: 'Command', text: raw };
}
