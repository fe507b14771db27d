import { posix } from 'node:path';

/** What /proc says about one process. */
export interface ProcInfo {
  pid: number;
  /** /proc/PID/comm: the name the kernel keeps, at most 15 bytes. */
  comm: string;
  /** /proc/PID/exe's target, without the " (deleted)" a replaced binary gets; absent if unreadable. */
  exe?: string;
  /** The first word of /proc/PID/cmdline. */
  argv0?: string;
}

export interface ProcessCriteria {
  /** Executable paths accepted (the one written and where its symlinks lead). */
  paths?: string[];
  /** Process names that must all match. */
  names?: string[];
}

const COMM_LEN = 15;

/** argv[0] from /proc/PID/cmdline's NUL-separated text (empty for kernel threads). */
export function argv0(cmdline: string): string | undefined {
  const first = cmdline.split('\0')[0];
  return first ? first : undefined;
}

export function stripDeleted(exe: string): string {
  return exe.endsWith(' (deleted)') ? exe.slice(0, -' (deleted)'.length) : exe;
}

/**
 * A name matches the kernel's comm (which truncates to 15 bytes), or the basename of the
 * executable or of argv[0] (what `ps -C` and werify's basename check mean by a process name).
 */
export function nameMatches(p: ProcInfo, name: string): boolean {
  if (p.comm === name || (name.length > COMM_LEN && p.comm === name.slice(0, COMM_LEN))) return true;
  if (p.exe !== undefined && posix.basename(p.exe) === name) return true;
  return p.argv0 !== undefined && posix.basename(p.argv0) === name;
}

/** The executable path matches; argv[0] stands in only when /proc/PID/exe could not be read. */
export function pathMatches(p: ProcInfo, paths: readonly string[]): boolean {
  if (p.exe !== undefined) return paths.includes(p.exe);
  return p.argv0?.startsWith('/') === true && paths.includes(posix.normalize(p.argv0));
}

export function processMatches(p: ProcInfo, c: ProcessCriteria): boolean {
  if (c.paths && !pathMatches(p, c.paths)) return false;
  return (c.names ?? []).every((n) => nameMatches(p, n));
}
