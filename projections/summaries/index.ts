import type { DocProjection } from '../projection.js';
import { shortTitle } from '../conversations/state.js';
import { isTranscript, lineType, obj, str, transcript } from '../messages/events.js';

/**
 * Claude Code 1.0.x titled sessions with `summary` lines ({summary, leafUuid}). It wrote them
 * into whichever session was running when it summarised, mostly a later one, so the line's
 * own file says nothing about whose summary it is: the session holding `leafUuid` is. A
 * conversation's evolve sees only its own session's events, and the summary and its leaf may
 * arrive in either order, so neither side can match them alone. Summaries are kept here, one
 * document per leaf, and conversations keep their latest leaves (Bookkeeping.leaves); a read
 * joins the two by primary key (conversations/queries.ts). Only summary lines come here, so
 * the table holds a row per summary, nothing per line.
 */
export interface LeafSummary {
  leafUuid: string;
  /** As a conversation title is kept: cut to 120 characters (`title`, so the search's index expression is the conversations'). */
  title: string;
  /** The latest summary of a leaf wins, whatever order the lines arrive in. */
  position: number;
}

function summaryOf(line: Record<string, unknown>): { leafUuid: string; text: string } | undefined {
  const leafUuid = str(line.leafUuid);
  const text = str(line.summary)?.trim();
  return leafUuid && text ? { leafUuid, text } : undefined;
}

export const summaries: DocProjection<LeafSummary> = {
  name: 'summaries',
  version: 1,
  handles: (event) => isTranscript(event) && lineType(event) === 'summary',
  keys: (event) => {
    const summary = summaryOf(transcript(event).line);
    return summary ? [summary.leafUuid] : [];
  },
  evolve: (doc, event) => {
    // Repeated, or older than the summary kept: nothing changes.
    if (doc && doc.position >= event.position) return doc;
    const summary = summaryOf(obj(transcript(event).line))!;
    return { leafUuid: summary.leafUuid, title: shortTitle(summary.text), position: event.position };
  },
  ddl: (table) => {
    const name = table.slice(table.lastIndexOf('.') + 1);
    return [`create index if not exists ${name}_title on ${table} using gin (to_tsvector('simple', coalesce(doc->>'title', '')))`];
  },
};
