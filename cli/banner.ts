import { join } from 'node:path';
import type { KeySource } from '../core/keys.js';
import { projectRoot } from '../core/paths.js';

// Where the hook looks when neither CLAUDE_HOOK_API_KEY nor CLAUDE_HOOK_API_KEY_FILE is set.
const defaultHookKeyFile = join(projectRoot, '.arrakis', 'ingest.key');

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
    keys.ingestFile === defaultHookKeyFile
      ? `  Hook       reads the ingest key from ${keys.ingestFile}`
      : `  Hook       export CLAUDE_HOOK_API_KEY_FILE=${keys.ingestFile}   (not the hook's default key file)`,
    '             register it: npx arrakis install-hook --user   (or --project DIR)',
    '',
    '  Press Ctrl-C to stop.',
    '',
  ].join('\n');
}
