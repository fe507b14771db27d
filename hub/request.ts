import { adHocModule } from '../lib/config/adhoc.js';
import type { ProberName } from '../lib/config/module.js';
import { PulseError } from '../lib/errors.js';
import type { Prober } from '../lib/probe/types.js';
import { proberCatalog } from '../lib/probers/catalog.js';
import { commonTargetError } from '../lib/target.js';
import { parseSelector } from './selector.js';

export const DEFAULT_TIMEOUT_SECONDS = 10;
export const MAX_TIMEOUT_SECONDS = 120;
const MAX_TARGETS = 64;

/** What the fan-out needs, from /api/v1/measurements or a seed endpoint, validated. */
export interface MeasurementSpec {
  type: ProberName;
  /** The measurement's headline target (what the user asked about). */
  target: string;
  /** What each agent probes; one row per agent and target. */
  targets: string[];
  options: Record<string, unknown>;
  selector: Record<string, string>;
  timeoutSeconds: number;
}

export type ProberLookup = (type: ProberName) => Prober | undefined;

const KEYS = new Set(['type', 'target', 'options', 'agents', 'timeout']);

/** Validates a POST /api/v1/measurements body; throws PulseError with the specific code. */
export function parseMeasurementRequest(body: unknown, probers: ProberLookup): MeasurementSpec {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new PulseError('PULSE_BAD_REQUEST', 'body must be a JSON object {type, target, options, agents, timeout}');
  }
  const b = body as Record<string, unknown>;
  for (const k of Object.keys(b)) {
    if (!KEYS.has(k)) throw new PulseError('PULSE_BAD_REQUEST', `unknown field "${k}" (allowed: ${[...KEYS].join(', ')})`);
  }
  const type = parseType(b.type);
  if (typeof b.target !== 'string') throw new PulseError('PULSE_BAD_TARGET', 'target must be a string');
  if (b.options !== undefined && (typeof b.options !== 'object' || b.options === null || Array.isArray(b.options))) {
    throw new PulseError('PULSE_BAD_OPTIONS', 'options must be an object (the prober\'s module section)');
  }
  const options = (b.options ?? {}) as Record<string, unknown>;
  return buildSpec({ type, target: b.target, targets: [b.target], options, selector: parseSelector(b.agents), timeout: b.timeout }, probers);
}

/** A prober's name from the catalog (registered probers included); the type is the built-ins' for readers. */
export function parseType(raw: unknown): ProberName {
  const catalog = proberCatalog();
  if (typeof raw !== 'string' || !catalog.has(raw)) {
    throw new PulseError('PULSE_UNKNOWN_TYPE', `unknown test type ${JSON.stringify(raw)} (one of: ${catalog.names().join(', ')})`);
  }
  return raw as ProberName;
}

export function parseTimeout(raw: unknown): number {
  if (raw === undefined || raw === null) return DEFAULT_TIMEOUT_SECONDS;
  if (typeof raw !== 'number' || !Number.isFinite(raw) || raw <= 0 || raw > MAX_TIMEOUT_SECONDS) {
    throw new PulseError('PULSE_BAD_TIMEOUT', `timeout must be a number of seconds above 0 and at most ${MAX_TIMEOUT_SECONDS}`);
  }
  return raw;
}

/** Shared by every entry point: options against the prober's schema, each target against the prober. */
export function buildSpec(
  raw: { type: ProberName; target: string; targets: string[]; options: Record<string, unknown>; selector: Record<string, string>; timeout: unknown },
  probers: ProberLookup,
): MeasurementSpec {
  const timeoutSeconds = parseTimeout(raw.timeout);
  if (raw.targets.length === 0) throw new PulseError('PULSE_BAD_TARGET', 'no target given');
  if (raw.targets.length > MAX_TARGETS) throw new PulseError('PULSE_BAD_TARGET', `at most ${MAX_TARGETS} targets per test`);
  const mod = adHocModule(raw.type, raw.options);
  const section = (mod as Record<string, unknown>)[raw.type];
  const prober = probers(raw.type);
  for (const t of raw.targets) {
    const reason = commonTargetError(t) ?? prober?.validateTarget(t, section as never);
    if (reason) throw new PulseError('PULSE_BAD_TARGET', `target "${t.slice(0, 200)}": ${reason}`);
  }
  return {
    type: raw.type,
    target: raw.target,
    targets: raw.targets,
    options: raw.options,
    selector: raw.selector,
    timeoutSeconds,
  };
}
