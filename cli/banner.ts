import type { KeySource } from '../core/keys.js';

/** What `arrakis start` tells a person on stderr; stdout stays structured JSON logs. */
export function banner({ url, database, keys }: { url: string; database: string; keys: KeySource }): string {
  const origin = url.replace(/\/$/, '');
  const keyLines = (['ingest', 'read', 'admin'] as const).map((scope) => {
    const note = keys.fromEnv.includes(scope) ? ' (from ARRAKIS_' + scope.toUpperCase() + '_KEY)' : '';
    return `    ${scope.padEnd(7)} ${keys.keys[scope]}${note}`;
  });
  return [
    '',
    `  Arrakis is running: ${url}`,
    '',
    `  Database   ${database}`,
    `  Ingest     POST ${origin}/api/claude-hooks`,
    `  Keys       stored in ${keys.file} (mode 0600)${keys.generated.length > 0 ? `; generated now: ${keys.generated.join(', ')}` : ''}`,
    ...keyLines,
    '',
    '  Press Ctrl-C to stop.',
    '',
  ].join('\n');
}
