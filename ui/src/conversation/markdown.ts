import DOMPurify from 'dompurify';
import { Marked } from 'marked';
import { escapeHtml, highlight } from './highlight.js';

const marked = new Marked({
  gfm: true,
  async: false,
  renderer: {
    // HTML written in a message is part of what was said: it is shown as text, never rendered.
    html: ({ text }) => escapeHtml(text),
    code: ({ text, lang }) => `<pre><code class="hljs">${highlight(text, lang)}</code></pre>\n`,
    // Images would be fetched from wherever a message points: a link to them is enough.
    image: ({ href, text }) => `<a href="${escapeHtml(href)}">${escapeHtml(text || href)}</a>`,
  },
});

// Only web and mail links survive; any other scheme (javascript:, data:, vbscript:…) and relative links lose their href.
const SAFE_URL = /^(?:https?:|mailto:)/i;

const purifyOptions = {
  USE_PROFILES: { html: true },
  FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'img', 'video', 'audio', 'iframe'],
  FORBID_ATTR: ['style', 'id'],
  ALLOWED_URI_REGEXP: SAFE_URL,
};

const openOutside = (node: Element) => {
  if (node.tagName === 'A' && node.hasAttribute('href')) {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer nofollow');
  }
};

const cache = new Map<string, string>();
const CACHE_SIZE = 500;

/**
 * Markdown as sanitized HTML. The result goes through DOMPurify whatever the parser made of
 * the text, so a message cannot put a script, an event handler or a javascript: link on the page.
 */
export function renderMarkdown(text: string): string {
  const hit = cache.get(text);
  if (hit !== undefined) return hit;
  const raw = marked.parse(text) as string;
  // The hook is DOMPurify's global state: it is there only for this call.
  DOMPurify.addHook('afterSanitizeAttributes', openOutside);
  let html: string;
  try {
    html = DOMPurify.sanitize(raw, purifyOptions);
  } finally {
    DOMPurify.removeHook('afterSanitizeAttributes');
  }
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(text, html);
  return html;
}
