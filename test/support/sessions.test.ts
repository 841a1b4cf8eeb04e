import { describe, expect, it } from 'vitest';
import type { NewEvent, StoredEvent } from '../../core/events.js';
import { completeness } from '../../projections/completeness/index.js';
import { holes } from '../../projections/completeness/coverage.js';
import { fold } from '../../projections/projection.js';
import { turnEvents } from './sessions.js';

/**
 * The generator every benchmark builds its log from writes transcripts as Claude Code does,
 * line after line: spaced chunks made each generated file a run of holes, and the
 * completeness projection's file document grow with every turn.
 */
const asStored = (events: NewEvent[]): StoredEvent[] =>
  events.map((e, i) => ({
    ...e,
    position: i + 1,
    transactionId: String(i + 1),
    capturedAt: new Date(e.capturedAt),
    receivedAt: new Date(e.capturedAt),
    payloadJson: null,
  }));

const fileDocs = (events: StoredEvent[]) => [...fold(completeness, events).values()].filter((d) => d.kind === 'file');

describe('turnEvents', () => {
  it('given 300 turns of a session, its transcript is one range with no holes', () => {
    const session = '00000000-0000-4000-8000-00000000a001';
    const start = Date.UTC(2026, 11, 1);
    const events = asStored(Array.from({ length: 300 }, (_, t) => turnEvents(session, t, new Date(start + t * 60_000))).flat());
    const [file, ...others] = fileDocs(events);
    expect(others).toEqual([]);
    expect(file?.kind === 'file' && file.ranges).toHaveLength(1);
    expect(file?.kind === 'file' && holes(file.ranges)).toEqual([]);
    expect(file).toMatchObject({ lines: 300 * 5, open: 0 });
  });

  it('given turns asked for out of order and for another session in between, the offsets are those of the order written', () => {
    const [a, b] = ['00000000-0000-4000-8000-00000000a002', '00000000-0000-4000-8000-00000000a003'];
    const at = new Date(Date.UTC(2026, 11, 1));
    const later = turnEvents(a, 4, at);
    turnEvents(b, 2, at);
    const inOrder = asStored([0, 1, 2, 3].flatMap((t) => turnEvents(a, t, at)).concat(later));
    const [file] = fileDocs(inOrder);
    expect(file?.kind === 'file' && file.ranges).toHaveLength(1);
  });
});
