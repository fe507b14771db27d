import type { RunResult } from './api.js';

/**
 * The checks every details reader makes. Details come from agents of other versions: a field is
 * checked before it is used, even though the prober's schema says what it should be.
 */

/** A result's details as its prober declares them, when the result is of that type. */
export function detailsOf<T>(result: RunResult | null, type: string): Partial<T> | undefined {
  return result && result.type === type ? (result.details as Partial<T>) : undefined;
}

export function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function list<T>(v: T[] | undefined): T[] {
  return Array.isArray(v) ? v : [];
}
