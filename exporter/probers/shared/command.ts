import { access, constants } from 'node:fs/promises';
import { delimiter, isAbsolute, join } from 'node:path';

/**
 * How to start an external tool: a file and arguments put before Pulse's own. Tests use the prefix
 * to run the real tool under another user (setpriv) to see what an unprivileged exporter sees.
 */
export interface ToolCommand {
  file: string;
  args?: string[];
  env?: Record<string, string>;
}

/** The executable's full path on PATH (or as given), or undefined when there is none. */
export async function findExecutable(file: string, path = process.env.PATH ?? ''): Promise<string | undefined> {
  const candidates = isAbsolute(file) || file.includes('/') ? [file] : path.split(delimiter).filter((d) => d !== '').map((d) => join(d, file));
  for (const c of candidates) {
    try {
      await access(c, constants.X_OK);
      return c;
    } catch {
      // Not here; try the next PATH entry.
    }
  }
  return undefined;
}

/** Stable output: ping and mtr print decimals and messages by locale. */
export const C_LOCALE = { LC_ALL: 'C', LANG: 'C' } as const;
