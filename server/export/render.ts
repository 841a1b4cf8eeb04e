import { renderHtml } from './html.js';
import type { ExportData } from './load.js';
import { renderMarkdown } from './markdown.js';
import { redactDeep } from './redact.js';

export type ExportFormat = 'md' | 'html';

export interface Rendered {
  body: string;
  contentType: string;
  filename: string;
}

/** A file name from the title that any file system takes, with the session's first digits to tell two apart. */
export function exportFilename(data: ExportData, format: ExportFormat): string {
  const slug = (data.conversation.title ?? '').trim().split('\n')[0]!.normalize('NFKD').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 48).replace(/-+$/, '');
  const id = data.conversation.sessionId.replace(/[^A-Za-z0-9-]/g, '').slice(0, 8) || 'session';
  return `${slug ? `${slug}-` : 'conversation-'}${id}.${format}`;
}

/** The one place the route and the CLI both go through: redaction happens before rendering, on the data itself. */
export function renderExport(data: ExportData, { format, redact = false, now = new Date() }: { format: ExportFormat; redact?: boolean; now?: Date }): Rendered {
  const shown = redact ? redactDeep(data) : data;
  return {
    body: format === 'html' ? renderHtml(shown, now) : renderMarkdown(shown, now),
    contentType: format === 'html' ? 'text/html; charset=utf-8' : 'text/markdown; charset=utf-8',
    filename: exportFilename(shown, format),
  };
}
