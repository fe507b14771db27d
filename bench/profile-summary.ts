/**
 * `node dist/bench/profile-summary.js FILE.cpuprofile [N]`: where a V8 CPU profile (node
 * --cpu-prof) spent its time, as self time by function and by package, for the README's notes
 * on the hot path. Pure summarising in summarizeProfile(); the entry only reads and prints.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileLine {
  name: string;
  selfPercent: number;
}

/** Self time per function and per package (node_modules/<pkg>, node internals, Pulse's own dirs). */
export function summarizeProfile(p: CpuProfile, top = 25): { byFunction: ProfileLine[]; byPackage: ProfileLine[] } {
  const hits = new Map<number, number>();
  if (p.samples) for (const id of p.samples) hits.set(id, (hits.get(id) ?? 0) + 1);
  else for (const n of p.nodes) hits.set(n.id, n.hitCount ?? 0);
  let total = 0;
  for (const v of hits.values()) total += v;
  const byFn = new Map<string, number>();
  const byPkg = new Map<string, number>();
  for (const n of p.nodes) {
    const h = hits.get(n.id) ?? 0;
    if (h === 0) continue;
    const f = n.callFrame;
    const where = shortUrl(f.url);
    const fn = `${f.functionName || '(anonymous)'} ${where ? `${where}:${f.lineNumber + 1}` : ''}`.trim();
    byFn.set(fn, (byFn.get(fn) ?? 0) + h);
    const pkg = packageOf(f.url, f.functionName);
    byPkg.set(pkg, (byPkg.get(pkg) ?? 0) + h);
  }
  const lines = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, h]) => ({ name, selfPercent: total ? Math.round((h / total) * 1000) / 10 : 0 }));
  return { byFunction: lines(byFn), byPackage: lines(byPkg) };
}

function shortUrl(url: string): string {
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) return url.slice(nm + 'node_modules/'.length);
  const dist = url.lastIndexOf('/dist/');
  if (dist >= 0) return url.slice(dist + '/dist/'.length);
  return url.replace(/^file:\/\//, '');
}

export function packageOf(url: string, functionName: string): string {
  if (!url) {
    if (functionName === '(garbage collector)') return '(gc)';
    if (functionName === '(idle)' || functionName === '(program)') return functionName;
    return '(native)';
  }
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith('node:')) return 'node (internals)';
  const dist = url.lastIndexOf('/dist/');
  if (dist >= 0) {
    const rest = url.slice(dist + '/dist/'.length).split('/');
    return `pulse ${rest.slice(0, Math.min(rest.length - 1, 2)).join('/') || rest[0]}`;
  }
  return url;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: node dist/bench/profile-summary.js FILE.cpuprofile [TOP]\n');
    process.exit(2);
  }
  const s = summarizeProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, Number(process.argv[3] ?? 25));
  process.stdout.write('self time by package:\n');
  for (const l of s.byPackage) process.stdout.write(`  ${l.selfPercent.toFixed(1).padStart(5)}%  ${l.name}\n`);
  process.stdout.write('self time by function:\n');
  for (const l of s.byFunction) process.stdout.write(`  ${l.selfPercent.toFixed(1).padStart(5)}%  ${l.name}\n`);
}
