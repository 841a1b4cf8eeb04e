import { createWindowVirtualizer } from '@tanstack/solid-virtual';
import { createMemo, createSignal, For, onCleanup, onMount, Show } from 'solid-js';
import type { Message } from './api.js';
import { DetachedRun } from './DetachedRun.js';
import type { Expanded } from './expand.js';
import { MessageView } from './MessageView.js';
import type { Row } from './rows.js';

interface Props {
  rows: Row[];
  complete: boolean;
  expanded: Expanded;
  onSources: (m: Message) => void;
  /** The time now (ticking), for what goes stale as time passes. */
  now: number;
  /** The row a deep link landed on, marked for a moment. */
  highlighted?: string | null;
  /** Hands out how to scroll to a row by its key (false while there is no such row). */
  onScroller?: (scrollTo: (key: string) => boolean) => void;
}

// First guesses of a row's height before it is measured: close guesses keep the scrollbar honest.
function estimate(row: Row | undefined): number {
  if (!row) return 80;
  if (row.group?.detached) return 70;
  const m = row.message;
  const lines = Math.min(30, (m.text?.length ?? 0) / 90 + (m.text?.split('\n').length ?? 0));
  switch (m.kind) {
    case 'tool':
      return 150;
    case 'assistant':
      return 56 + lines * 22 + (m.thinking ? 30 : 0);
    case 'prompt':
    case 'command':
      return 50 + lines * 22;
    default:
      return 44;
  }
}

/**
 * The messages, virtualised against the window's scroll: only the rows near the viewport are
 * in the page, the container is as tall as all of them would be (measured where drawn,
 * estimated elsewhere), so 10,000 messages scroll like 10. At the bottom it follows new ones.
 */
export function Timeline(props: Props) {
  let list!: HTMLDivElement;
  // Where the list starts in the document; the header above it can change height.
  const [margin, setMargin] = createSignal(0);
  const measureMargin = () => setMargin(list.getBoundingClientRect().top + window.scrollY);
  onMount(() => {
    measureMargin();
    const observer = new ResizeObserver(measureMargin);
    observer.observe(document.body);
    onCleanup(() => observer.disconnect());
  });

  const virtualizer = createWindowVirtualizer<HTMLDivElement>({
    get count() {
      return props.rows.length;
    },
    // New functions whenever the rows change, so the virtualizer re-reads keys and guesses.
    get getItemKey() {
      const rows = props.rows;
      return (i: number) => rows[i]?.key ?? i;
    },
    get estimateSize() {
      const rows = props.rows;
      return (i: number) => estimate(rows[i]);
    },
    get scrollMargin() {
      return margin();
    },
    overscan: 6,
    // Rows added above the reader (a late transcript line) do not move what they are reading.
    anchorTo: 'end',
    // A reader at the bottom follows new messages, but not while the first load streams in:
    // the view opens at the beginning and stays there.
    get followOnAppend() {
      return props.complete;
    },
  });

  const items = () => virtualizer.getVirtualItems();
  // The rows themselves (not wrappers) are iterated: a row object is kept while its message is
  // unchanged (rows.ts), so scrolling and live updates redraw only rows that are new or changed.
  const shown = createMemo(() => items().map((item) => props.rows[item.index]).filter((row): row is Row => !!row));
  const indexOf = createMemo(() => new Map(props.rows.map((row, i) => [row.key, i])));
  const offset = () => (items()[0]?.start ?? margin()) - margin();
  props.onScroller?.((key) => {
    const index = indexOf().get(key);
    if (index === undefined) return false;
    virtualizer.scrollToIndex(index, { align: 'center' });
    return true;
  });

  return (
    <>
      <div
        ref={list}
        class="timeline"
        data-testid="timeline"
        data-count={props.rows.length}
        data-complete={props.complete ? 'true' : 'false'}
        style={{ height: `${virtualizer.getTotalSize()}px` }}
      >
        <div class="timeline-window" style={{ transform: `translateY(${offset()}px)` }}>
          <For each={shown()}>
            {(row) => (
              <div
                class="row"
                classList={{ 'row-linked': props.highlighted === row.key }}
                data-index={indexOf().get(row.key)}
                data-depth={row.depth}
                style={{ '--depth': row.depth }}
                ref={(el) => queueMicrotask(() => el.isConnected && virtualizer.measureElement(el))}
              >
                <Show when={row.group?.detached ? row.group : undefined} fallback={<MessageView row={row} expanded={props.expanded} onSources={props.onSources} now={props.now} />}>
                  {(group) => <DetachedRun group={group()} at={row.message.at} expanded={props.expanded} />}
                </Show>
              </div>
            )}
          </For>
        </div>
      </div>
      <Show when={props.rows.length > 0}>
        <nav class="timeline-jump" aria-label="Timeline">
          <button type="button" class="quiet" onClick={() => window.scrollTo({ top: 0 })}>Top</button>
          <button type="button" class="quiet" onClick={() => virtualizer.scrollToIndex(props.rows.length - 1, { align: 'end' })}>Latest</button>
        </nav>
      </Show>
    </>
  );
}
