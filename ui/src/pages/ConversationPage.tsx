import { createMemo, createSignal, Match, onCleanup, Show, Switch } from 'solid-js';
import { Link } from '../components/Link.js';
import { fetchConversation, type ConversationDetail, type Message } from '../conversation/api.js';
import { ConversationHeader } from '../conversation/ConversationHeader.js';
import { createDeepLink } from '../conversation/deeplink.js';
import { createExpanded } from '../conversation/expand.js';
import { createRows, hasContent } from '../conversation/rows.js';
import { SourcesDrawer } from '../conversation/SourcesDrawer.js';
import { createTimeline } from '../conversation/timeline.js';
import { Timeline } from '../conversation/Timeline.js';
import '../conversation/conversation.css';
import { ticking } from '../conversations/ago.js';
import '../conversations/conversations.css';
import { ApiError } from '../lib/http.js';
import { onLive } from '../lib/live.js';

// The stream's summary updates the header at once; tokens and cost (not in it) are refetched at most this often.
const TOKENS_REFRESH_MS = 2000;
const entries = (n: number) => `${n.toLocaleString()} ${n === 1 ? 'entry' : 'entries'} in the timeline`;

/** `/conversations/:sessionId`: one conversation's header and its whole timeline, live. */
export function ConversationPage(props: { params: Record<string, string> }) {
  const sessionId = props.params.sessionId ?? '';
  const now = ticking();
  const [detail, setDetail] = createSignal<ConversationDetail | null>(null);
  const [headerProblem, setHeaderProblem] = createSignal<{ missing: boolean; message: string } | null>(null);
  const loadHeader = async () => {
    try {
      setDetail(await fetchConversation(sessionId));
      setHeaderProblem(null);
    } catch (error) {
      setHeaderProblem({ missing: error instanceof ApiError && error.status === 404, message: (error as Error).message });
    }
  };
  void loadHeader();

  const timeline = createTimeline(sessionId);
  const expanded = createExpanded();
  const buildRows = createRows();
  const rows = createMemo(() => buildRows(timeline.messages(), (agentId) => expanded.isOpen(`agent:${agentId}`)));
  const shownCount = createMemo(() => timeline.messages().filter(hasContent).length);
  let scroller: ((key: string) => boolean) | undefined;
  const link = createDeepLink({ sessionId, timeline, rows, expanded, scrollTo: (key) => scroller?.(key) ?? false });

  let tokensTimer: number | undefined;
  onCleanup(() => window.clearTimeout(tokensTimer));
  onLive({
    change(change) {
      if (change.sessionId !== sessionId) return;
      timeline.changed();
      const summary = change.conversation as Partial<ConversationDetail> | null;
      const shown = detail();
      if (summary && shown) setDetail({ ...shown, ...summary, tokens: shown.tokens });
      tokensTimer ??= window.setTimeout(() => {
        tokensTimer = undefined;
        void loadHeader();
      }, shown ? TOKENS_REFRESH_MS : 0);
    },
    resync() {
      timeline.reload();
      void loadHeader();
    },
  });

  const [sources, setSources] = createSignal<Message | null>(null);

  return (
    <section class="conversation conv-wide" aria-label="Conversation">
      <p class="conv-back small">
        <Link href="/">← Conversations</Link>
      </p>
      <Switch>
        <Match when={detail()}>{(c) => <ConversationHeader conversation={c()} now={now()} />}</Match>
        <Match when={headerProblem()?.missing}>
          <section class="card">
            <h2>No conversation {sessionId}</h2>
            <p class="muted">Nothing has been recorded for this session yet. This page shows it as soon as its first event arrives.</p>
          </section>
        </Match>
        <Match when={headerProblem()}>{(p) => <p class="conv-problem" role="alert">Could not load this conversation: {p().message}</p>}</Match>
        <Match when={true}>
          <p class="muted">Loading…</p>
        </Match>
      </Switch>
      <Show when={timeline.problem()}>
        <p class="conv-problem" role="alert">
          Could not load messages: {timeline.problem()} <button type="button" onClick={() => timeline.reload()}>Retry</button>
        </p>
      </Show>
      {/* Always there, so that what it says never moves the timeline below it. */}
      <p class="muted small timeline-status" aria-live="polite">
        {/* Entries, not messages: the header's Messages counts prompts and answers only. */}
        {timeline.complete() ? (rows().length === 0 ? 'No messages yet.' : entries(shownCount())) : `Loading the timeline… ${timeline.messages().length.toLocaleString()} so far`}
      </p>
      <Show when={link.problem()}>{(p) => <p class="conv-problem" role="status">{p()}</p>}</Show>
      <Timeline rows={rows()} complete={timeline.complete()} expanded={expanded} onSources={setSources} now={now()} highlighted={link.highlighted()} onScroller={(s) => (scroller = s)} />
      <SourcesDrawer message={sources()} onClose={() => setSources(null)} />
    </section>
  );
}
