import { readFile } from 'node:fs/promises';

/**
 * Resident memory of one process, in bytes: now (VmRSS) and the high-water mark (VmHWM), and
 * VmRSS split into anonymous memory (heap: the process's own) and file-backed pages (mostly the
 * executable's code, shared with every other process running the same binary).
 */
export interface Memory {
  rss: number;
  hwm: number;
  anon: number;
  file: number;
  /** Proportional set size: shared pages divided among the processes sharing them (0 if unknown). */
  pss: number;
}

/** Parses /proc/PID/status; the kernel reports both values in kB. */
export function parseProcStatus(text: string): Memory {
  const field = (name: string, required = true): number => {
    const m = new RegExp(`^${name}:\\s+(\\d+)\\s+kB$`, 'm').exec(text);
    if (!m && required) throw new Error(`/proc status has no ${name} line`);
    return m ? Number(m[1]) * 1024 : 0;
  };
  // RssAnon/RssFile exist since Linux 4.5; older kernels report 0 for them.
  return { rss: field('VmRSS'), hwm: field('VmHWM'), anon: field('RssAnon', false), file: field('RssFile', false), pss: 0 };
}

/** The Pss line of /proc/PID/smaps_rollup, in bytes. */
export function parseSmapsRollup(text: string): number {
  const m = /^Pss:\s+(\d+)\s+kB$/m.exec(text);
  return m ? Number(m[1]) * 1024 : 0;
}

export async function readMemory(pid: number): Promise<Memory> {
  const m = parseProcStatus(await readFile(`/proc/${pid}/status`, 'utf8'));
  // A cluster's workers share the node binary's pages; summing their RSS would count them N times.
  m.pss = parseSmapsRollup(await readFile(`/proc/${pid}/smaps_rollup`, 'utf8').catch(() => ''));
  return m;
}

/** Sum over several processes (an exporter with workers is one service of several PIDs). */
export async function readMemoryOf(pids: readonly number[]): Promise<Memory> {
  const sum: Memory = { rss: 0, hwm: 0, anon: 0, file: 0, pss: 0 };
  for (const pid of pids) {
    const m = await readMemory(pid);
    sum.rss += m.rss;
    sum.hwm += m.hwm;
    sum.anon += m.anon;
    sum.file += m.file;
    sum.pss += m.pss;
  }
  return sum;
}

/** Child PIDs of a process, from /proc (node:cluster workers of a Pulse exporter). */
export async function childPids(pid: number): Promise<number[]> {
  try {
    const text = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8');
    return text
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

/**
 * Polls the resident memory of a process tree while a benchmark runs, keeping the maximum.
 * VmHWM alone would miss the sum across workers at one instant, so both are kept.
 */
export function sampleMemory(pidsOf: () => Promise<number[]>, everyMs = 200): { stop(): Promise<Memory> } {
  const peak: Memory = { rss: 0, hwm: 0, anon: 0, file: 0, pss: 0 };
  let stopped = false;
  const tick = async () => {
    try {
      const m = await readMemoryOf(await pidsOf());
      peak.rss = Math.max(peak.rss, m.rss);
      peak.hwm = Math.max(peak.hwm, m.hwm);
      peak.anon = Math.max(peak.anon, m.anon);
      peak.file = Math.max(peak.file, m.file);
      peak.pss = Math.max(peak.pss, m.pss);
    } catch {
      // The process may exit between listing and reading; the next tick or stop() catches up.
    }
  };
  const timer = setInterval(() => {
    if (!stopped) void tick();
  }, everyMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await tick();
      return { ...peak };
    },
  };
}

export const MB = 1024 * 1024;
