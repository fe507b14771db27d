import Format from 'typebox/format';
import Value from 'typebox/value';
import type { TSchema } from 'typebox';
import { celError } from '../cel.js';
import { regexError } from '../regex.js';
import { DNS_NAME_PATTERN } from './probers/dns.js';
import type { ConfigIssue } from './errors.js';
import { AGENT_LABEL_PATTERN, LABEL_SYNTAX, reservedLabelReason } from '../reserved-labels.js';
import { formatPath } from './errors.js';

export type PathSegments = (string | number)[];

export interface RawIssue {
  segments: PathSegments;
  message: string;
  /** True when the issue is about a key itself (unknown key), so its line is the key's. */
  atKey?: boolean;
}

let formatsRegistered = false;

/** Our custom string formats; registering twice is harmless, so do it lazily, not at import. */
export function registerFormats(): void {
  if (formatsRegistered) return;
  Format.Set('pulse-regex', (v) => regexError(v) === undefined);
  Format.Set('pulse-cel', (v) => celError(v) === undefined);
  formatsRegistered = true;
}

/** Schema errors as key paths and sentences an operator can act on. */
export function schemaIssues(schema: TSchema, value: unknown, base: PathSegments = []): RawIssue[] {
  registerFormats();
  // Check stops at the first failure; Errors walks the whole schema, every branch of every union.
  // A valid config (every start-up) needs only the first.
  if (Value.Check(schema, value)) return [];
  const issues: RawIssue[] = [];
  const seen = new Set<string>();
  for (const e of Value.Errors(schema, value)) {
    const segments = [...base, ...pointerToSegments(e.instancePath, value)];
    const params = e.params as Record<string, unknown>;
    let issue: RawIssue | undefined;
    switch (e.keyword) {
      case 'boolean':
        // The additionalProperties error that accompanies this one names the key better.
        continue;
      case 'additionalProperties':
        for (const key of (params.additionalProperties as string[]) ?? []) {
          pushUnique(issues, seen, { segments: [...segments, key], message: 'unknown key', atKey: true });
        }
        continue;
      case 'propertyNames': {
        const pattern = (schemaAt(schema, e.schemaPath)?.propertyNames as { pattern?: string } | undefined)?.pattern;
        for (const key of (params.propertyNames as string[]) ?? []) {
          // The label pattern's look-aheads say nothing to a reader: name the rule that was broken.
          const label = pattern === AGENT_LABEL_PATTERN;
          const shown = label ? LABEL_SYNTAX : pattern;
          const message = (label ? reservedLabelReason(key) : undefined) ?? `invalid name "${key}"${shown ? ` (must match ${shown})` : ''}`;
          pushUnique(issues, seen, { segments: [...segments, key], message, atKey: true });
        }
        continue;
      }
      case 'required':
        for (const key of (params.requiredProperties as string[]) ?? []) {
          pushUnique(issues, seen, { segments, message: `missing required key "${key}"` });
        }
        continue;
      case 'type':
        issue = { segments, message: `expected ${String(params.type)}` };
        break;
      case 'enum':
        issue = {
          segments,
          message: `expected one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`,
        };
        break;
      case 'format':
        if (params.format === 'pulse-regex') {
          const text = valueAt(value, e.instancePath);
          issue = { segments, message: `invalid regular expression: ${regexError(String(text))}` };
        } else if (params.format === 'pulse-cel') {
          const text = valueAt(value, e.instancePath);
          issue = { segments, message: `could not compile CEL program: ${celError(String(text))}` };
        } else issue = { segments, message: `expected a ${String(params.format)}` };
        break;
      case 'pattern':
        // Reported with the key's name by the propertyNames case.
        if (e.schemaPath.endsWith('/propertyNames')) continue;
        issue = { segments, message: describePattern(String(params.pattern)) };
        break;
      case 'anyOf':
        issue = { segments, message: 'does not match any accepted form' };
        break;
      default:
        issue = { segments, message: e.message };
    }
    pushUnique(issues, seen, issue);
  }
  return issues;
}

function pushUnique(issues: RawIssue[], seen: Set<string>, issue: RawIssue): void {
  const key = `${formatPath(issue.segments)}\u0000${issue.message}`;
  if (seen.has(key)) return;
  seen.add(key);
  issues.push(issue);
}

function describePattern(pattern: string): string {
  if (pattern.includes('ms|s|m|h|d|w|y')) return 'expected a duration such as 5s, 500ms or 1m30s';
  if (pattern === '^https://') return 'expected an https:// URL';
  if (pattern === DNS_NAME_PATTERN) return 'expected a DNS name (letters, digits, "-", "_", dots; at most 253 characters)';
  if (pattern === '^https?://') return 'expected an http:// or https:// URL';
  return `must match ${pattern}`;
}

/** JSON pointer → path segments, numbers for array indices. */
export function pointerToSegments(pointer: string, root: unknown): PathSegments {
  if (pointer === '') return [];
  const out: PathSegments = [];
  let node: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) {
      out.push(Number(key));
      node = node[Number(key)];
    } else {
      out.push(key);
      node = node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
    }
  }
  return out;
}

/** The sub-schema a `#/properties/...` schema path points at. */
function schemaAt(schema: TSchema, schemaPath: string): Record<string, unknown> | undefined {
  let node: unknown = schema;
  for (const raw of schemaPath.replace(/^#\/?/, '').split('/')) {
    if (raw === '') continue;
    node = node && typeof node === 'object' ? (node as Record<string, unknown>)[raw.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
  }
  return node && typeof node === 'object' ? (node as Record<string, unknown>) : undefined;
}

function valueAt(root: unknown, pointer: string): unknown {
  let node = root;
  for (const seg of pointerToSegments(pointer, root)) {
    node = node && typeof node === 'object' ? (node as Record<string | number, unknown>)[seg] : undefined;
  }
  return node;
}

export function toConfigIssues(raw: RawIssue[], lineOf: (r: RawIssue) => number | undefined): ConfigIssue[] {
  return raw
    .map((r) => {
      const issue: ConfigIssue = { path: formatPath(r.segments), message: r.message };
      const line = lineOf(r);
      if (line !== undefined) issue.line = line;
      return issue;
    })
    .sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}
