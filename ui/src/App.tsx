import { createEffect, createMemo, For, Match, onMount, Show, Switch, type JSX } from 'solid-js';
import { Dynamic } from 'solid-js/web';
import { ConnectionBadge } from './components/ConnectionBadge.js';
import { Link } from './components/Link.js';
import { ThemeToggle } from './components/ThemeToggle.js';
import { api, auth, logout } from './lib/http.js';
import { connectLive, disconnectLive } from './lib/live.js';
import { location, match } from './lib/router.js';
import { Notifications } from './notifications/Notifications.js';
import { ConversationPage } from './pages/ConversationPage.js';
import { ConversationsPage } from './pages/ConversationsPage.js';
import { EventsPage } from './pages/EventsPage.js';
import { HooksPage } from './pages/HooksPage.js';
import { LoginPage } from './pages/LoginPage.js';
import { StatusPage } from './pages/StatusPage.js';
import { UsagePage } from './pages/UsagePage.js';

type Page = (props: { params: Record<string, string> }) => JSX.Element;

const routes: Array<[pattern: string, page: Page]> = [
  ['/', ConversationsPage],
  ['/conversations/:sessionId', ConversationPage],
  ['/usage', UsagePage],
  ['/events', EventsPage],
  ['/status', StatusPage],
  ['/hooks', HooksPage],
];

const nav: Array<[href: string, label: string]> = [
  ['/', 'Conversations'],
  ['/usage', 'Usage'],
  ['/events', 'Log'],
  ['/status', 'Status'],
  ['/hooks', 'Hooks'],
];

function current(): { page: Page; params: Record<string, string> } | null {
  for (const [pattern, page] of routes) {
    const params = match(pattern, location().path);
    if (params) return { page, params };
  }
  return null;
}

const sameRoute = (a: ReturnType<typeof current>, b: ReturnType<typeof current>) =>
  a?.page === b?.page && JSON.stringify(a?.params) === JSON.stringify(b?.params);

export function App() {
  // A page is mounted anew only when the route or its parameters change, not the query string.
  const route = createMemo(current, undefined, { equals: sameRoute });
  // Any read route tells whether the cookie is still good.
  onMount(() => void api('/api/projections').catch(() => {}));
  createEffect(() => (auth() === 'in' ? connectLive() : disconnectLive()));

  return (
    <>
      <header class="top">
        <Link href="/" class="brand">
          Arrakis
        </Link>
        <nav aria-label="Main">
          <For each={nav}>
            {([href, label]) => (
              <Link href={href} aria-current={(href === '/' ? location().path === '/' || location().path.startsWith('/conversations') : location().path.startsWith(href)) ? 'page' : undefined}>
                {label}
              </Link>
            )}
          </For>
        </nav>
        <ConnectionBadge />
        <ThemeToggle />
        <Show when={auth() === 'in'}><Notifications /></Show>
        <Show when={auth() === 'in'}>
          <button type="button" class="quiet" onClick={() => void logout()}>
            Sign out
          </button>
        </Show>
      </header>
      <main>
        <Switch>
          <Match when={auth() === 'out'}>
            <LoginPage onLogin={() => void api('/api/projections').catch(() => {})} />
          </Match>
          <Match when={auth() === 'in'}>
            <Show when={route()} keyed fallback={<section class="card"><h2>Not found</h2><p>No page at {location().path}.</p></section>}>
              {(r) => <Dynamic component={r.page} params={r.params} />}
            </Show>
          </Match>
        </Switch>
      </main>
    </>
  );
}
