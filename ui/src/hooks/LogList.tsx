import { createEffect, createSignal, For, onCleanup, onMount, Show } from 'solid-js';
import type { HookLogLine } from './api.js';
import { LogLine } from './LogLine.js';

export interface LogListProps {
  items: HookLogLine[];
  hasMore: boolean;
  loading: boolean;
  onMore: () => void;
}

const NEXT = new Set(['j', 'ArrowDown']);
const PREVIOUS = new Set(['k', 'ArrowUp']);

/**
 * The lines, newest first. j/k or the arrow keys move between them, Enter opens one; the next
 * page loads when the end of the list scrolls into view (or with the button, for keyboards).
 */
export function LogList(props: LogListProps) {
  const [open, setOpen] = createSignal<ReadonlySet<string>>(new Set());
  const toggle = (id: string) =>
    setOpen((ids) => {
      const next = new Set(ids);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  let list: HTMLOListElement | undefined;
  let sentinel: HTMLDivElement | undefined;

  const onKeyDown = (event: KeyboardEvent) => {
    const step = NEXT.has(event.key) ? 1 : PREVIOUS.has(event.key) ? -1 : 0;
    if (step === 0 || event.altKey || event.ctrlKey || event.metaKey) return;
    const heads = [...list!.querySelectorAll<HTMLButtonElement>('.hl-line-head')];
    const at = heads.indexOf(document.activeElement as HTMLButtonElement);
    const target = heads[at === -1 ? 0 : Math.min(heads.length - 1, Math.max(0, at + step))];
    if (!target) return;
    event.preventDefault();
    target.focus();
    if (step > 0 && target === heads.at(-1) && props.hasMore) props.onMore();
  };

  // While the end of the list is in view, pages keep coming: one page may not fill the screen.
  const [nearEnd, setNearEnd] = createSignal(false);
  onMount(() => {
    const observer = new IntersectionObserver((entries) => setNearEnd(entries.some((entry) => entry.isIntersecting)), { rootMargin: '400px 0px' });
    observer.observe(sentinel!);
    onCleanup(() => observer.disconnect());
  });
  createEffect(() => {
    if (nearEnd() && props.hasMore && !props.loading) props.onMore();
  });

  return (
    <>
      <ol class="hl-lines" ref={list} onKeyDown={onKeyDown} aria-label="Hook log lines, newest first" data-testid="hook-log">
        <For each={props.items}>{(line) => <LogLine line={line} open={open().has(line.id)} onToggle={() => toggle(line.id)} />}</For>
      </ol>
      <div ref={sentinel} class="hl-more">
        <Show when={props.hasMore} fallback={<Show when={props.items.length > 0}><p class="muted small">That is the whole log.</p></Show>}>
          <button type="button" disabled={props.loading} onClick={() => props.onMore()}>
            {props.loading ? 'Loading…' : 'Load older lines'}
          </button>
        </Show>
      </div>
    </>
  );
}
