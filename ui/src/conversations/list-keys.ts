import { onCleanup, onMount } from 'solid-js';

const typing = (target: EventTarget | null) =>
  target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));

/**
 * j/k and the arrow keys move the focus along a list of links (Enter then opens the focused
 * one, as links do), `/` goes to the search box; keys typed into a field are left alone.
 */
export function listKeys(options: { items: () => HTMLElement[]; search?: () => HTMLElement | undefined }): void {
  const move = (step: number) => {
    const items = options.items();
    if (items.length === 0) return;
    const at = items.findIndex((item) => item === document.activeElement || item.contains(document.activeElement));
    const next = at === -1 ? (step > 0 ? 0 : items.length - 1) : Math.min(items.length - 1, Math.max(0, at + step));
    items[next]!.focus();
    items[next]!.scrollIntoView({ block: 'nearest' });
  };
  const onKey = (event: KeyboardEvent) => {
    if (event.defaultPrevented || event.metaKey || event.ctrlKey || event.altKey) return;
    if (typing(event.target)) {
      if (event.key === 'Escape') (event.target as HTMLElement).blur();
      return;
    }
    const step = { j: 1, ArrowDown: 1, k: -1, ArrowUp: -1 }[event.key];
    if (step) {
      event.preventDefault();
      move(step);
    } else if (event.key === '/' && options.search?.()) {
      event.preventDefault();
      options.search()!.focus();
    }
  };
  onMount(() => document.addEventListener('keydown', onKey));
  onCleanup(() => document.removeEventListener('keydown', onKey));
}
