import { createSignal } from 'solid-js';

/**
 * Which parts of which messages the reader opened (long outputs, thinking, subagent runs). It
 * lives beside the list, not in the rows: a virtualised row is dropped when scrolled away and
 * drawn again when it comes back, and must come back as the reader left it.
 */
export interface Expanded {
  isOpen(id: string): boolean;
  toggle(id: string): void;
}

export function createExpanded(): Expanded {
  const [open, setOpen] = createSignal<ReadonlySet<string>>(new Set());
  return {
    isOpen: (id) => open().has(id),
    toggle: (id) =>
      setOpen((set) => {
        const next = new Set(set);
        if (!next.delete(id)) next.add(id);
        return next;
      }),
  };
}
