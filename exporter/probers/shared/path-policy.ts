import { realpath } from 'node:fs/promises';
import { basename, dirname, join, posix } from 'node:path';
import type { ExporterSettings } from '../../../lib/config/exporter.js';
import { lexicalPathError } from '../../../lib/host-path.js';
import { matchingGlob } from './path-glob.js';

export const DISABLED_REASON =
  'host checks are disabled on this exporter: list the paths they may read in exporter.host_checks.allowed_paths (or set exporter.host_checks.enabled: true for process checks by name)';

/** Host checks are off unless the exporter's config turns them on (see HostChecks). */
export function hostChecksEnabled(settings: ExporterSettings): boolean {
  const h = settings.host_checks;
  if (!h) return false;
  return h.enabled ?? h.allowed_paths.length > 0;
}

/** Every host check's `unavailable`: off in this config means not offered to the hub at all. */
export async function hostChecksUnavailable(settings?: ExporterSettings): Promise<string | undefined> {
  return settings && hostChecksEnabled(settings) ? undefined : DISABLED_REASON;
}

/** Checks that need neither the config nor the disk (validateTarget's 400): see lib/host-path.ts. */
export { lexicalPathError };

export type PathDecision = { ok: true; path: string; resolved: string } | { ok: false; reason: string };

/**
 * Whether a host check may look at `path`: host checks enabled, the path absolute and without
 * `..`, inside an allowed glob, and still inside one once symlinks are resolved (so a link in an
 * allowed tree cannot lead out of it). `resolved` is what the check should then open.
 */
export async function decidePath(path: string, settings: ExporterSettings): Promise<PathDecision> {
  if (!hostChecksEnabled(settings)) return { ok: false, reason: DISABLED_REASON };
  const lexical = lexicalPathError(path);
  if (lexical) return { ok: false, reason: lexical };
  const globs = settings.host_checks?.allowed_paths ?? [];
  const clean = normalize(path);
  if (!matchingGlob(clean, globs)) return { ok: false, reason: `path ${clean} is not under exporter.host_checks.allowed_paths` };
  let resolved: string;
  try {
    resolved = await resolveExisting(clean);
  } catch (err) {
    return { ok: false, reason: `cannot resolve ${clean}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` };
  }
  if (!matchingGlob(resolved, globs)) {
    return { ok: false, reason: `path ${clean} resolves to ${resolved} (through a symlink), which is not under exporter.host_checks.allowed_paths` };
  }
  return { ok: true, path: clean, resolved };
}

/** `//a/./b/` → `/a/b`. */
export function normalize(path: string): string {
  const n = posix.normalize(path);
  return n.length > 1 && n.endsWith('/') ? n.slice(0, -1) : n;
}

/**
 * realpath for a path that may not exist: the deepest existing ancestor is resolved and the rest
 * appended, so a missing file behind a symlinked directory is still judged by where it would be.
 */
async function resolveExisting(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw err;
    const parent = dirname(path);
    if (parent === path) return path;
    return join(await resolveExisting(parent), basename(path));
  }
}
