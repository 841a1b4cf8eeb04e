import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect, inject, it } from 'vitest';
import { projectRoot } from '../core/paths.js';
import { chromiumPath } from './support/browser.js';

const READS = ['conversations', 'conversations_project', 'conversations_deep_cursor', 'conversations_q', 'search_q', 'messages_first_page', 'messages_middle_page', 'messages_around', 'conversation_detail', 'stats', 'usage_daily', 'events_desc', 'health'];
const UI = ['list_first_paint_ms', 'conversation_first_screen_ms', 'conversation_rendered_ms'];
const uiRoot = process.env.ARRAKIS_TEST_UI_ROOT ?? join(projectRoot, 'ui', 'dist');
const withUi = existsSync(chromiumPath) && existsSync(join(uiRoot, 'index.html'));

const run = (extra: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(projectRoot, 'bench', 'scale.ts'), '--scale', '20000', '--messages', '400', '--requests', '5', '--warmup', '1', '--runs', '1', ...(withUi ? [] : ['--skip-ui']), ...extra], {
    cwd: projectRoot,
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: '', TEST_DATABASE_URL: inject('pgAdminUrl'), ARRAKIS_TEST_UI_ROOT: uiRoot },
    timeout: 100_000,
  });

it('the scale bench builds a log of N events and N/50, and prints every figure at both and their ratio', { timeout: 120_000 }, () => {
  const result = run(['--json']);
  expect(result.status, result.stderr).toBe(0);
  const { figures, machine } = JSON.parse(result.stdout) as { figures: Record<string, number | string>; machine: { cpus: number } };
  expect(machine.cpus).toBeGreaterThan(0);
  // 20,000 events of which 900 are the 400-message conversation; N/50 is 400 events and that conversation.
  expect(figures.events_at_N).toBeGreaterThanOrEqual(19_900);
  expect(figures.events_at_N).toBeLessThanOrEqual(20_100);
  expect(figures.events_at_N50).toBeGreaterThanOrEqual(1_250);
  expect(figures.events_at_N50).toBeLessThanOrEqual(1_400);
  const pairs = [
    ...READS.flatMap((r) => [`${r}_p50_ms`, `${r}_p95_ms`]),
    ...(withUi ? UI : []),
    'rebuild_eps',
    // Every projection was indexed after it had folded the log, outside the registry lock (index-ahead.ts).
    'rebuild_fold_eps',
    'rebuild_index_seconds',
    'bytes_per_event',
    'event_bytes_per_event',
    'projection_bytes_per_event',
  ];
  for (const name of pairs) {
    for (const key of [`${name}_at_N`, `${name}_at_N50`, `${name}_ratio`]) {
      expect(figures[key], key).toBeTypeOf('number');
      expect(figures[key] as number, key).toBeGreaterThan(0);
    }
  }
  expect(figures.rebuild_scale_ratio).toBeTypeOf('number');
  // The log is realistic: a few KB of payload an event, not empty rows.
  expect(figures.event_bytes_per_event_at_N as number).toBeGreaterThan(500);
  expect(figures.missed).toBeTypeOf('string');
});
