import { createEffect, createMemo, createSignal, on, onCleanup, type Accessor } from 'solid-js';
import { onLive } from '../lib/live.js';
import { fetchBlocks, fetchPeriods, fetchProjects, fetchSessions, type Block, type PeriodReport, type ProjectRow, type SessionRow } from './api.js';
import { reportQuery, type UsageParams } from './params.js';

/** Live refetches are at least this far apart, however fast responses arrive. */
export const REFRESH_MS = 1000;

export interface UsageData {
  report: Accessor<PeriodReport | undefined>;
  sessions: Accessor<SessionRow[]>;
  projects: Accessor<ProjectRow[]>;
  blocks: Accessor<Block[]>;
  state: Accessor<'loading' | 'ready' | 'error'>;
  problem: Accessor<string>;
  reload: () => void;
}

/**
 * The page's reports under the address's view, fetched again (throttled) whenever the live
 * stream announces a response (`transcript.assistant`), which is what changes usage.
 */
export function createUsageData(params: Accessor<UsageParams>): UsageData {
  // The chart's metric is drawn from what is loaded: switching it fetches nothing.
  const asked = createMemo(() => ({ ...reportQuery(params()), breakdown: params().breakdown, period: params().period }), undefined, {
    equals: (a, b) => JSON.stringify(a) === JSON.stringify(b),
  });
  const [report, setReport] = createSignal<PeriodReport>();
  const [sessions, setSessions] = createSignal<SessionRow[]>([]);
  const [projects, setProjects] = createSignal<ProjectRow[]>([]);
  const [blocks, setBlocks] = createSignal<Block[]>([]);
  const [state, setState] = createSignal<'loading' | 'ready' | 'error'>('loading');
  const [problem, setProblem] = createSignal('');
  // Answers to a request made under another view, or overtaken by a later one, are dropped.
  let generation = 0;
  let lastLoad = 0;
  let timer: number | undefined;

  async function load(quiet: boolean) {
    const mine = ++generation;
    lastLoad = Date.now();
    if (!quiet) setState('loading');
    const { breakdown, period, ...q } = asked();
    try {
      const [r, s, p, b] = await Promise.all([fetchPeriods(period, q, breakdown), fetchSessions(q), fetchProjects(q), fetchBlocks(q)]);
      if (mine !== generation) return;
      setReport(r);
      setSessions(s);
      setProjects(p);
      setBlocks(b);
      setState('ready');
    } catch (error) {
      if (mine !== generation) return;
      setProblem((error as Error).message);
      setState('error');
    }
  }

  createEffect(on(asked, () => void load(false)));

  const refresh = () => {
    if (timer !== undefined) return;
    timer = window.setTimeout(() => {
      timer = undefined;
      void load(true);
    }, Math.max(0, lastLoad + REFRESH_MS - Date.now()));
  };
  onCleanup(() => window.clearTimeout(timer));
  onLive({
    change: (change) => change.type === 'transcript.assistant' && refresh(),
    resync: refresh,
  });

  return { report, sessions, projects, blocks, state, problem, reload: () => void load(false) };
}
