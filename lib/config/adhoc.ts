import Value from 'typebox/value';
import { PulseError } from '../errors.js';
import { formatPath } from './errors.js';
import { Module, PROBER_OPTIONS, type ProberName } from './module.js';
import { schemaIssues } from './validate.js';

/**
 * A module built from an ad-hoc request's options (the hub's tests), validated against the same
 * schema as pulse.yml so a bad option gets the same words, as a 400 instead of a refused file.
 */
export function adHocModule(type: ProberName, options: Record<string, unknown> = {}, timeout?: string): Module {
  // Defaults first, as the config loader does, so defaulted keys need not be sent.
  const raw: Record<string, unknown> = { prober: type, [type]: Value.Default(PROBER_OPTIONS[type], structuredClone(options)) };
  if (timeout !== undefined) raw.timeout = timeout;
  const issues = schemaIssues(Module, raw);
  if (issues.length > 0) {
    const text = issues
      .map((i) => {
        const path = formatPath(i.segments[0] === type ? ['options', ...i.segments.slice(1)] : i.segments);
        return `${path}: ${i.message}`;
      })
      .join('; ');
    throw new PulseError('PULSE_BAD_OPTIONS', text);
  }
  const mod = raw as Module;
  (mod as Record<string, unknown>)[type] = Value.Default(PROBER_OPTIONS[type], structuredClone(options));
  return mod;
}
