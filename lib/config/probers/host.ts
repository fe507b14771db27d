import Type from 'typebox';
import { Regex, type UnsupportedOption } from '../common.js';

/**
 * The host-check probers (werify's checks). Their targets are paths on the exporter's own host,
 * reachable only under `exporter.host_checks.allowed_paths`.
 */

/** `file_exists`: the target path exists (a symlink counts when it resolves). No options. */
export const FileExistsOptions = Type.Object({}, { additionalProperties: false });
export type FileExistsOptions = Type.Static<typeof FileExistsOptions>;

/** `file_contains`: some line of the target file contains `check`, or matches `regexp`. */
export const FileContainsOptions = Type.Object(
  {
    /** A plain substring, werify's `check`. */
    check: Type.Optional(Type.String({ minLength: 1 })),
    /** A regular expression (RE2/Go syntax) matched against each line. */
    regexp: Type.Optional(Regex()),
  },
  { additionalProperties: false },
);
export type FileContainsOptions = Type.Static<typeof FileContainsOptions>;

/**
 * `process_running`: the target is an executable's absolute path or a process name; `check`
 * (werify's name for it) adds a process basename that must match as well.
 */
export const ProcessRunningOptions = Type.Object(
  {
    check: Type.Optional(Type.String({ minLength: 1, pattern: '^[^/]+$' })),
  },
  { additionalProperties: false },
);
export type ProcessRunningOptions = Type.Static<typeof ProcessRunningOptions>;

/** blackbox_exporter has no such probers, so there is nothing of its to refuse by name. */
export const hostUnsupported: UnsupportedOption[] = [];

/** file_contains takes a substring or a regexp, not both, not neither (the schema cannot say "exactly one"). */
export function fileContainsOptionsError(o: FileContainsOptions): string | undefined {
  if ((o.check === undefined) === (o.regexp === undefined)) return 'file_contains needs exactly one of the options check (a substring) or regexp';
  return undefined;
}
