export const REDACTED = '[redacted]';

// Home directories name the person: /home/NAME, /Users/NAME, C:\Users\NAME (either slash) and
// /root read as ~. Claude Code's transcript folders spell the same path with dashes.
const HOMES: Array<[RegExp, string]> = [
  [/(\.claude[\\/]projects[\\/])-(?:home|Users)-[^\\/\s"'`]+/g, `$1${REDACTED}`],
  [/(?<![\w.-])[A-Za-z]:(?:\\\\?|\/)Users(?:\\\\?|\/)[^/\\\s"'`:;,)\]]+/g, '~'],
  [/(?<![\w.-])(?:\/home|\/Users)\/[^/\\\s"'`:;,)\]]+/g, '~'],
  [/(?<![\w.-])\/root(?=[/\\\s"'`:;,)\]]|$)/g, '~'],
];

// Tokens whose shape gives them away, wherever they appear.
const SHAPES: RegExp[] = [
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
  /(?<![A-Za-z0-9])sk-ant-[A-Za-z0-9_-]{8,}/g,
  /(?<![A-Za-z0-9])sk-(?:proj-|live-|test-)?[A-Za-z0-9_-]{20,}/g,
  /(?<![A-Za-z0-9])(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})/g,
  /(?<![A-Za-z0-9])(?:AKIA|ASIA)[0-9A-Z]{16}(?![A-Za-z0-9])/g,
  /(?<![A-Za-z0-9])xox[abprs]-[A-Za-z0-9-]{10,}/g,
  /(?<![A-Za-z0-9])AIza[0-9A-Za-z_-]{35}/g,
  /(?<![A-Za-z0-9])glpat-[A-Za-z0-9_-]{20,}/g,
  /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,
];

const BEARER = /\b(Bearer|Basic|token)(\s+)([A-Za-z0-9._~+/=-]{16,})/g;

// `password=hunter2`, `API_KEY: "..."`, `"client_secret": "..."`, `--token abc…`: the name tells, the value goes.
const ASSIGNED = /((?:[\w.-]*?)(pass(?:word|wd)?|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|auth[_-]?key|credentials?)["']?\s*(?:[:=]|\s(?=["']))\s*["']?)([^\s"'`,;&)}\]]+)/gi;

/** Shannon entropy per character: random tokens score above 3, words and placeholders below. */
function entropy(text: string): number {
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / text.length) * Math.log2(n / text.length);
  return bits;
}

const placeholder = (value: string) => value === REDACTED || /^(?:\$\{?\w+\}?|<[^>]*>|\*+|x+|\.\.\.|null|true|false|undefined|none)$/i.test(value);

/**
 * A password is redacted whatever it looks like; a key or token only when it looks random
 * (long, high entropy), so that `token=refresh` or `max_tokens=4096` stay readable.
 */
function assigned(all: string, prefix: string, name: string, value: string): string {
  if (placeholder(value) || value.includes(REDACTED)) return all;
  const password = /^(pass|pwd|secret|credential)/i.test(name);
  if (password ? value.length < 4 : value.length < 12 || entropy(value) < 3) return all;
  return `${prefix}${REDACTED}`;
}

/** Text with home directories as ~ and what looks like a secret as [redacted]. */
export function redactText(text: string): string {
  let out = text;
  for (const [pattern, by] of HOMES) out = out.replace(pattern, by);
  for (const pattern of SHAPES) out = out.replace(pattern, REDACTED);
  out = out.replace(BEARER, (all, word: string, space: string, value: string) => (word.toLowerCase() === 'token' && entropy(value) < 3 ? all : `${word}${space}${REDACTED}`));
  return out.replace(ASSIGNED, assigned);
}

// An object key that names a secret: its string value goes, whatever it looks like.
const SECRET_KEY = /(?:pass(?:word|wd)?|secret|api[_-]?key|access[_-]?key|private[_-]?key|auth[_-]?token|access[_-]?token|refresh[_-]?token|credentials?)$/i;

/** Every string in a value (messages, tool inputs and results, the conversation) redacted; its shape kept. */
export function redactDeep<T>(value: T): T {
  const walk = (v: unknown, key?: string): unknown => {
    if (typeof v === 'string') return key && SECRET_KEY.test(key) && v.length >= 4 ? REDACTED : redactText(v);
    if (Array.isArray(v)) return v.map((item) => walk(item));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, walk(item, k)]));
    return v;
  };
  return walk(value) as T;
}
