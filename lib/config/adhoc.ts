import Value from 'typebox/value';
import { PulseError } from '../errors.js';
import { REGEX_FORMAT } from './common.js';
import { formatPath } from './errors.js';
import { proberCatalog } from '../probers/catalog.js';
import { type Module, moduleSchema } from './module.js';
import { schemaIssues } from './validate.js';

/**
 * A module built from an ad-hoc request's options (the hub's tests), validated against the same
 * schema as pulse.yml so a bad option gets the same words, as a 400 instead of a refused file.
 */
export function adHocModule(type: string, options: Record<string, unknown> = {}, timeout?: string): Module {
  const spec = proberCatalog().get(type);
  if (!spec) throw new PulseError('PULSE_UNKNOWN_TYPE', `unknown test type ${JSON.stringify(type)}`);
  const fileOption = findFileOption(options);
  if (fileOption) {
    // An exporter reads these files and sends their contents to the target: from a hub user that
    // would hand out the agent's own private key. Only the operator's pulse.yml may name files.
    throw new PulseError('PULSE_BAD_OPTIONS', `${formatPath(['options', ...fileOption])}: file options are only allowed in pulse.yml modules`);
  }
  const regexOption = findRegexOption(spec.options, options);
  if (regexOption) {
    // Patterns run on RE2 (linear time), but a large one still costs the agent CPU on every
    // probe; the operator's pulse.yml decides that, the hub's users do not.
    throw new PulseError('PULSE_BAD_OPTIONS', `${formatPath(['options', ...regexOption])}: regular expressions are only allowed in pulse.yml modules`);
  }
  // Defaults first, as the config loader does, so defaulted keys need not be sent.
  const section = Value.Default(spec.options, structuredClone(options));
  const raw: Record<string, unknown> = { prober: type, [type]: section };
  if (timeout !== undefined) raw.timeout = timeout;
  const issues = schemaIssues(moduleSchema(), raw);
  if (issues.length > 0) {
    const text = issues
      .map((i) => {
        const path = formatPath(i.segments[0] === type ? ['options', ...i.segments.slice(1)] : i.segments);
        return `${path}: ${i.message}`;
      })
      .join('; ');
    throw new PulseError('PULSE_BAD_OPTIONS', text);
  }
  const problem = spec.rule?.(section);
  if (problem) throw new PulseError('PULSE_BAD_OPTIONS', `options: ${problem}`);
  return raw as unknown as Module;
}

/** The path of the first value the schema marks as a regex (`Regex()` in common.ts), if any. */
function findRegexOption(schema: unknown, value: unknown, path: (string | number)[] = []): (string | number)[] | undefined {
  if (!schema || typeof schema !== 'object') return undefined;
  const s = schema as { format?: string; properties?: Record<string, unknown>; items?: unknown; anyOf?: unknown[] };
  if (s.format === REGEX_FORMAT) return value === undefined ? undefined : path;
  if (s.anyOf) {
    for (const branch of s.anyOf) {
      const found = findRegexOption(branch, value, path);
      if (found) return found;
    }
  }
  if (Array.isArray(value) && s.items) {
    for (let i = 0; i < value.length; i++) {
      const found = findRegexOption(s.items, value[i], [...path, i]);
      if (found) return found;
    }
  } else if (value && typeof value === 'object' && s.properties) {
    for (const [k, v] of Object.entries(value)) {
      if (!Object.hasOwn(s.properties, k)) continue;
      const found = findRegexOption(s.properties[k], v, [...path, k]);
      if (found) return found;
    }
  }
  return undefined;
}

/** The path of the first key naming files (`*_file`, http_headers' `files`) at any depth, if any. */
function findFileOption(value: unknown, path: (string | number)[] = []): (string | number)[] | undefined {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findFileOption(value[i], [...path, i]);
      if (found) return found;
    }
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k.endsWith('_file') || k === 'files') return [...path, k];
      const found = findFileOption(v, [...path, k]);
      if (found) return found;
    }
  }
  return undefined;
}
