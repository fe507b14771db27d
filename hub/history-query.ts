import Type from 'typebox';
import Value from 'typebox/value';
import { DURATION_PATTERN, parseDuration } from '../lib/duration.js';
import { PulseError } from '../lib/errors.js';
import { proberCatalog } from '../lib/probers/catalog.js';
import type { HistoryQuery } from './store/results.js';

export const DEFAULT_HISTORY_LIMIT = 100;
export const MAX_HISTORY_LIMIT = 1000;

/** GET /api/v1/measurements's query string; every value a single string. */
export const HistoryQueryString = Type.Object(
  {
    /** A prober's name; parseHistoryQuery checks it against the catalog. */
    type: Type.Optional(Type.String({ pattern: '^[a-z][a-z0-9_]{0,63}$' })),
    target: Type.Optional(Type.String({ minLength: 1, maxLength: 2048 })),
    agent: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    since: Type.Optional(Type.String({ maxLength: 64 })),
    until: Type.Optional(Type.String({ maxLength: 64 })),
    limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,7}$' })),
    cursor: Type.Optional(Type.String({ maxLength: 512 })),
  },
  { additionalProperties: false },
);
export type HistoryQueryString = Type.Static<typeof HistoryQueryString>;

/** A point in time: an RFC 3339 timestamp, or a duration meaning that long ago ("24h"). */
export function parseInstant(text: string, key: string, now: number): number {
  if (new RegExp(DURATION_PATTERN).test(text)) return now - parseDuration(text) * 1000;
  const at = /^\d{4}-\d\d-\d\dT/.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(at)) throw new PulseError('PULSE_BAD_REQUEST', `${key} must be an RFC 3339 time (2026-01-31T12:00:00Z) or a duration ago (24h), not ${JSON.stringify(text)}`);
  return at;
}

/** Validates the query string (Fastify's parsed object) into a store query. */
export function parseHistoryQuery(raw: unknown, now: number = Date.now()): HistoryQuery {
  const allowed = Object.keys(HistoryQueryString.properties);
  for (const k of Object.keys((raw ?? {}) as object)) {
    if (!allowed.includes(k)) throw new PulseError('PULSE_BAD_REQUEST', `unknown parameter "${k.slice(0, 64)}" (allowed: ${allowed.join(', ')})`);
  }
  if (!Value.Check(HistoryQueryString, raw)) {
    const first = Value.Errors(HistoryQueryString, raw)[0];
    const key = first?.instancePath.replace(/^\//, '') || 'query';
    throw new PulseError('PULSE_BAD_REQUEST', `${key}: ${first?.message ?? 'invalid'}${Array.isArray((raw as Record<string, unknown>)[key]) ? ' (given more than once)' : ''}`);
  }
  const q: HistoryQuery = { limit: DEFAULT_HISTORY_LIMIT };
  if (raw.limit !== undefined) {
    const n = Number(raw.limit);
    if (n < 1 || n > MAX_HISTORY_LIMIT) throw new PulseError('PULSE_BAD_REQUEST', `limit must be between 1 and ${MAX_HISTORY_LIMIT}`);
    q.limit = n;
  }
  if (raw.type !== undefined) {
    const names = proberCatalog().names();
    if (!names.includes(raw.type)) throw new PulseError('PULSE_BAD_REQUEST', `type: must be one of ${names.join(', ')}`);
    q.type = raw.type;
  }
  if (raw.target !== undefined) q.target = raw.target;
  if (raw.agent !== undefined) q.agent = raw.agent;
  if (raw.cursor !== undefined) q.cursor = raw.cursor;
  if (raw.since !== undefined) q.since = parseInstant(raw.since, 'since', now);
  if (raw.until !== undefined) q.until = parseInstant(raw.until, 'until', now);
  if (q.since !== undefined && q.until !== undefined && q.since > q.until) throw new PulseError('PULSE_BAD_REQUEST', 'since is after until');
  return q;
}
