import Type from 'typebox';
import Value from 'typebox/value';
import { parseDocument } from 'yaml';
import { PulseError } from './errors.js';
import { lexicalPathError } from './host-path.js';

/**
 * werify's operations file: an object whose keys are check names (the user's) and whose values
 * are `{type, path, check}`. One file runs every check on every selected agent.
 */

/**
 * werify's three check types, plus `file_absent` (Pulse's): a file that must not exist, run as
 * file_exists and passing when the agent found no such file.
 */
export const OPERATION_TYPES = ['file_exists', 'file_contains', 'process_running', 'file_absent'] as const;
export type OperationType = (typeof OPERATION_TYPES)[number];
/** The prober each check type runs on the agent. */
export type CheckProber = Exclude<OperationType, 'file_absent'>;

/** werify imposes no limit; a hub must, or one request could queue thousands of calls per agent. */
export const MAX_OPERATION_CHECKS = 100;
const MAX_NAME = 128;

export const OperationCheck = Type.Object(
  {
    type: Type.Enum(OPERATION_TYPES),
    /** Absolute path: the file, or the executable of process_running. */
    path: Type.Optional(Type.String({ minLength: 1, maxLength: 2048 })),
    /** The line to find (file_contains), or the process basename (process_running). */
    check: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
  },
  { additionalProperties: false },
);
export type OperationCheck = Type.Static<typeof OperationCheck>;

export const OperationsFile = Type.Record(Type.String({ minLength: 1, maxLength: MAX_NAME }), OperationCheck, {
  minProperties: 1,
  maxProperties: MAX_OPERATION_CHECKS,
});
export type OperationsFile = Type.Static<typeof OperationsFile>;

/** What one check asks of an agent's /api/v1/run. */
export interface CheckRun {
  type: CheckProber;
  target: string;
  options: Record<string, unknown>;
}

const KEYS = ['type', 'path', 'check'];
function hasControl(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

/**
 * Validates an operations object and returns it typed. The schema says what is allowed; the
 * checks below say it in words that name the check and the key, one problem at a time.
 */
export function parseOperations(raw: unknown, where = 'operations'): OperationsFile {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new PulseError('PULSE_BAD_REQUEST', `${where} must be an object: check name → {type, path, check}`);
  }
  const entries = Object.entries(raw as Record<string, unknown>);
  if (entries.length === 0) throw new PulseError('PULSE_BAD_REQUEST', `${where} is empty: it needs at least one check`);
  if (entries.length > MAX_OPERATION_CHECKS) {
    throw new PulseError('PULSE_BAD_REQUEST', `${where} has ${entries.length} checks; at most ${MAX_OPERATION_CHECKS} are allowed`);
  }
  for (const [name, value] of entries) checkEntry(name, value, where);
  // Belt and braces: whatever the words above missed, the schema still refuses.
  if (!Value.Check(OperationsFile, raw)) throw new PulseError('PULSE_BAD_REQUEST', `${where} does not match {type, path, check}`);
  return raw as OperationsFile;
}

function checkEntry(name: string, value: unknown, where: string): void {
  const at = `${where}: check ${JSON.stringify(name)}`;
  if (name.length > MAX_NAME) throw new PulseError('PULSE_BAD_REQUEST', `${where}: check name "${name.slice(0, 40)}…" is longer than ${MAX_NAME} characters`);
  if (hasControl(name)) throw new PulseError('PULSE_BAD_REQUEST', `${where}: check name ${JSON.stringify(name)} contains control characters`);
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new PulseError('PULSE_BAD_REQUEST', `${at} must be an object {type, path, check}`);
  }
  const v = value as Record<string, unknown>;
  for (const k of Object.keys(v)) {
    if (!KEYS.includes(k)) throw new PulseError('PULSE_BAD_REQUEST', `${at}: unknown key "${k}" (allowed: ${KEYS.join(', ')})`);
  }
  if (v.type === undefined) throw new PulseError('PULSE_BAD_REQUEST', `${at}: missing "type" (one of: ${OPERATION_TYPES.join(', ')})`);
  if (typeof v.type !== 'string' || !(OPERATION_TYPES as readonly string[]).includes(v.type)) {
    throw new PulseError('PULSE_UNKNOWN_TYPE', `${at}: unknown type ${JSON.stringify(v.type)} (one of: ${OPERATION_TYPES.join(', ')})`);
  }
  for (const k of ['path', 'check'] as const) {
    if (v[k] !== undefined && (typeof v[k] !== 'string' || v[k] === '')) {
      throw new PulseError('PULSE_BAD_REQUEST', `${at}: "${k}" must be a non-empty string`);
    }
  }
  const type = v.type as OperationType;
  if (type !== 'process_running' && v.path === undefined) throw new PulseError('PULSE_BAD_REQUEST', `${at}: ${type} needs "path"`);
  if (type === 'file_contains' && v.check === undefined) {
    throw new PulseError('PULSE_BAD_REQUEST', `${at}: file_contains needs "check" (the text a line must contain)`);
  }
  // werify ignored it; refusing it tells the author their check is not what they think.
  if ((type === 'file_exists' || type === 'file_absent') && v.check !== undefined) {
    throw new PulseError('PULSE_BAD_REQUEST', `${at}: ${type} takes no "check"`);
  }
  if (type === 'process_running' && v.path === undefined && v.check === undefined) {
    throw new PulseError('PULSE_BAD_REQUEST', `${at}: process_running needs "path" (the executable), "check" (the process name), or both`);
  }
  const bad = typeof v.path === 'string' ? lexicalPathError(v.path) : undefined;
  if (bad) throw new PulseError('PULSE_BAD_TARGET', `${at}: target ${JSON.stringify(v.path)}: ${bad}`);
}

/**
 * werify's `{type, path, check}` as a probe: the path is the target; `check` is the option of
 * that name; a process_running with only `check` probes by process name.
 */
export function checkRun(c: OperationCheck): CheckRun {
  if (c.type === 'process_running' && c.path === undefined) return { type: c.type, target: c.check ?? '', options: {} };
  if (c.type === 'file_absent') return { type: 'file_exists', target: c.path ?? '', options: {} };
  return { type: c.type, target: c.path ?? '', options: c.check === undefined ? {} : { check: c.check } };
}

/**
 * An operations file's text, JSON or YAML (JSON is YAML too, and the YAML parser refuses the
 * duplicate keys that JSON.parse would silently collapse). Throws PulseError with line numbers.
 */
export function parseOperationsText(text: string, source = 'operations file'): OperationsFile {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const pos = e.linePos?.[0];
    const message = (e.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
    throw new PulseError('PULSE_BAD_REQUEST', `${source}${pos ? `:${pos.line}:${pos.col}` : ''}: ${message}`);
  }
  return parseOperations(doc.toJS({ maxAliasCount: 100 }), source);
}
