/**
 * Times as projections store them: ISO-8601, 24 characters, so they compare as strings.
 * Date#toISOString and Date.parse cost microseconds each on Node 20, and a rebuild asked for
 * them several times per event, mostly for times it had just formatted (an append's one
 * receivedAt, an event's capturedAt in keys() and again in evolve()).
 */

const formatted = new Map<number, string>();
// Enough for the distinct times of the largest batch; clearing only costs recomputing.
const FORMATTED_MAX = 10_000;

/** `date.toISOString()`, remembered by instant. Like it, throws on an invalid date. */
export function isoOf(date: Date): string {
  const ms = date.getTime();
  let iso = formatted.get(ms);
  if (iso === undefined) {
    iso = date.toISOString();
    if (formatted.size >= FORMATTED_MAX) formatted.clear();
    formatted.set(ms, iso);
  }
  return iso;
}

// Every field in range for every month and hour: such a string is its own normal form.
const normal = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

/** A captured time in that form, or undefined when it is none; most are already in it. */
export function isoTime(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (normal.test(value)) return value;
  const ms = Date.parse(value);
  const iso = Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
  return iso?.length === 24 ? iso : undefined;
}
