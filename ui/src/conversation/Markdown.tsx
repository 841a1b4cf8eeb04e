import { createMemo } from 'solid-js';
import { renderMarkdown } from './markdown.js';

/** Assistant prose: Markdown through the sanitizer in markdown.ts (the only HTML this view inserts). */
export function Markdown(props: { text: string }) {
  const html = createMemo(() => renderMarkdown(props.text));
  return <div class="md" innerHTML={html()} />;
}
