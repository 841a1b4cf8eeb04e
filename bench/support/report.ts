import os from 'node:os';
import type { ServerInfo } from './database.js';

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  platform: string;
  postgres: string;
  database: string;
  settings: Record<string, string>;
}

export function machine(server: ServerInfo, database: string): Machine {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    postgres: server.version,
    database,
    settings: server.settings,
  };
}

export interface Row {
  figure: string;
  value: number;
  baseline?: number;
  eventsPerTxn: number;
  machineCpu: number;
  nodeCores: number;
}

const rate = (n: number) => `${Math.round(n).toLocaleString('en-US')}/s`;

export function table(m: Machine, config: Record<string, unknown>, rows: readonly Row[]): string {
  const settings = Object.entries(m.settings).map(([k, v]) => `${k}=${v}`).join(' ');
  const header = [
    `machine:  ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, ${m.platform}, node ${m.node}`,
    `postgres: ${m.postgres} (${m.database}) ${settings}`,
    `config:   ${Object.entries(config).map(([k, v]) => `${k}=${String(v)}`).join(' ')}`,
    '',
  ];
  const cells = [
    ['figure', 'value', 'baseline', 'ratio', 'events/txn', 'cpu busy', 'node cores'],
    ...rows.map((r) => [
      r.figure,
      rate(r.value),
      r.baseline === undefined ? '' : rate(r.baseline),
      r.baseline === undefined ? '' : `${(r.value / r.baseline).toFixed(2)}×`,
      r.eventsPerTxn.toFixed(1),
      `${Math.round(r.machineCpu * 100)}%`,
      r.nodeCores.toFixed(2),
    ]),
  ];
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((c) => c[i]!.length)));
  const lines = cells.map((c) => c.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('   '));
  const legend = '\ncpu busy: all cores, any process; node cores: this process (load generator, appender, HTTP server).';
  return [...header, ...lines].join('\n') + legend;
}
