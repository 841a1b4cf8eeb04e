import { createResource, createSignal, onCleanup } from 'solid-js';
import { fetchHealth } from './api.js';
import { ConnectionBadge, type Connection } from './components/ConnectionBadge.js';
import { ConnectSection } from './components/ConnectSection.js';
import { HealthCard } from './components/HealthCard.js';

const REFRESH_SECONDS = 5;

export function App() {
  const [checkedAt, setCheckedAt] = createSignal<Date>();
  const [health, { refetch }] = createResource(() => fetchHealth().finally(() => setCheckedAt(new Date())));

  const timer = window.setInterval(() => {
    // A background tab has nobody to show the answer to.
    if (document.visibilityState === 'visible') void refetch();
  }, REFRESH_SECONDS * 1000);
  onCleanup(() => window.clearInterval(timer));

  // Solid keeps the last error set while a refetch is in flight and throws it from health() once settled,
  // so the error is read first: an unreachable server must not show its last good report.
  const problem = () => (health.error as Error | undefined)?.message;
  const report = () => (health.error ? undefined : health());
  const connection = (): Connection => (health.error ? 'unreachable' : report() ? 'connected' : 'connecting');

  return (
    <>
      <header class="top">
        <h1>Arrakis</h1>
        <ConnectionBadge connection={connection()} />
      </header>
      <main>
        <HealthCard health={report()} problem={problem()} checkedAt={checkedAt()} refreshSeconds={REFRESH_SECONDS} />
        <ConnectSection />
      </main>
    </>
  );
}
