import { PulseError } from '../../lib/errors.js';
import type { HistoryPage, HistoryRow } from '../../client/api.js';
import type { Measurement } from '../measurement.js';
import type { Operation } from '../operations/operation.js';

/**
 * The layout of a stored record. A hub refuses records of another format by name instead of
 * guessing at them: they come from an older or newer Pulse (a replica mid-upgrade, an old file).
 */
export const RECORD_FORMAT = 1;

export type StoredRecord =
  | { format: number; pulse: string; kind: 'measurement'; data: Measurement }
  | { format: number; pulse: string; kind: 'operation'; data: Operation };

/** GET /api/v1/measurements: rows of finished measurements, newest first. */
export interface HistoryQuery {
  type?: string;
  target?: string;
  agent?: string;
  /** Epoch milliseconds, inclusive, on the measurement's created_at. */
  since?: number;
  until?: number;
  limit: number;
  /** The `next` of the previous page. */
  cursor?: string;
}

export type { HistoryPage, HistoryRow };

/**
 * Where finished measurements and operations are kept for `hub.retention`: the embedded log by
 * default, Redis when several hubs share a fleet. Running ones live in the hub's memory
 * (MeasurementStore) and are written here when they finish.
 */
export interface ResultStore {
  open(): Promise<void>;
  putMeasurement(m: Measurement): Promise<void>;
  getMeasurement(id: string): Promise<Measurement | undefined>;
  putOperation(op: Operation): Promise<void>;
  getOperation(handle: string): Promise<Operation | undefined>;
  history(q: HistoryQuery): Promise<HistoryPage>;
  close(): Promise<void>;
}

/**
 * A counter that starts at zero, counts up and is forgotten `windowMs` after its first count: the
 * primitive for rate limits, shared by all replicas when the store is Redis.
 */
export interface CounterStore {
  increment(key: string, windowMs: number): Promise<{ count: number; resetAt: number }>;
  /**
   * Adds `member` to the set under `key` unless it already holds `max` members (false then).
   * A member not released by `untilMs` is dropped, so a replica that crashed mid-measurement
   * does not hold its slots for ever. Atomic across replicas when the store is Redis.
   */
  acquireSlot(key: string, member: string, max: number, untilMs: number): Promise<boolean>;
  releaseSlot(key: string, member: string): Promise<void>;
}

/** A stored record of another Pulse's format (a replica mid-upgrade, an old file). */
export class StoreFormatError extends PulseError {
  constructor(message: string) {
    super('PULSE_PROTOCOL_MISMATCH', message);
    this.name = 'StoreFormatError';
  }
}

/** Checks a record read back; the message says which Pulse wrote it and what this one reads. */
export function checkRecord(rec: unknown, where: string, ourVersion: string): StoredRecord {
  const r = rec as Partial<StoredRecord> | null;
  if (!r || typeof r !== 'object' || (r.kind !== 'measurement' && r.kind !== 'operation') || typeof r.data !== 'object') {
    throw new StoreFormatError(`${where}: not a Pulse result record`);
  }
  if (r.format !== RECORD_FORMAT) {
    throw new StoreFormatError(
      `${where}: record format ${String(r.format)} written by Pulse ${String(r.pulse)}; this hub (Pulse ${ourVersion}) reads format ${RECORD_FORMAT} only`,
    );
  }
  return r as StoredRecord;
}
