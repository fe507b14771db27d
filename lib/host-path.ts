/**
 * The path rules a host check's target must meet before anything looks at a disk: absolute, no
 * `..`. Shared by the exporter's probers, the hub's request checks and `pulse op`, so a mistake in
 * an operations file is named before any agent is asked.
 */
export function lexicalPathError(path: string): string | undefined {
  if (!path.startsWith('/')) return `path must be absolute (start with "/"): "${path}"`;
  if (path.split('/').includes('..')) return `path must not contain "..": "${path}"`;
  return undefined;
}
