import { readdir, readFile, readlink } from 'node:fs/promises';
import { argv0, type ProcInfo, stripDeleted } from './process-match.js';

export interface ProcessTable {
  processes: ProcInfo[];
  /** Processes whose /proc/PID/exe could not be read (another user's, without root). */
  exeUnreadable: number;
}

/**
 * Every process in `/proc` (thread-group leaders only, as /proc lists them). Processes that exit
 * while being read are skipped; the abort signal stops the walk between processes.
 */
export async function readProcessTable(signal: AbortSignal, root = '/proc'): Promise<ProcessTable> {
  const processes: ProcInfo[] = [];
  let exeUnreadable = 0;
  for (const entry of await readdir(root)) {
    if (!/^[0-9]+$/.test(entry)) continue;
    signal.throwIfAborted();
    const dir = `${root}/${entry}`;
    let comm: string;
    try {
      comm = (await readFile(`${dir}/comm`, 'utf8')).replace(/\n$/, '');
    } catch {
      continue; // exited meanwhile
    }
    const p: ProcInfo = { pid: Number(entry), comm };
    try {
      p.exe = stripDeleted(await readlink(`${dir}/exe`));
    } catch (err) {
      // ENOENT is a kernel thread (no executable) or a process gone; EACCES is a permission gap.
      if ((err as NodeJS.ErrnoException).code === 'EACCES' || (err as NodeJS.ErrnoException).code === 'EPERM') exeUnreadable++;
    }
    try {
      const first = argv0(await readFile(`${dir}/cmdline`, 'utf8'));
      if (first !== undefined) p.argv0 = first;
    } catch {
      // gone, or not ours to read: comm and exe still decide
    }
    processes.push(p);
  }
  return { processes, exeUnreadable };
}
