#!/usr/bin/env node
/**
 * `npm run bench`: Pulse side by side with blackbox_exporter (and the hub on its own), on
 * loopback only. Settings come from BENCH_* environment variables (see bench/settings.ts and
 * the README's Performance section). Prints a summary and writes bench/results/<timestamp>.json.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchBurst } from './burst.js';
import { benchAsn } from './asn.js';
import { benchFanout } from './fanout.js';
import { benchFidelity } from './fidelity.js';
import { describeMachine } from './machine.js';
import { repoRoot } from './proc.js';
import { renderReport } from './report.js';
import type { BenchRun } from './results.js';
import { benchReplicas, replicasOptions } from './replicas.js';
import { readSettings } from './settings.js';
import { benchSd } from './sd.js';
import { benchStore, storeBenchOptions } from './store.js';
import { evaluateTargets } from './targets.js';
import { benchThroughput } from './throughput.js';
import { benchTunnels } from './tunnels.js';

async function main(): Promise<void> {
  const settings = readSettings(process.env);
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const dir = await mkdtemp(join(tmpdir(), 'pulse-bench-'));
  const run: Omit<BenchRun, 'targets'> & { targets?: BenchRun['targets'] } = {
    startedAt: new Date().toISOString(),
    machine: describeMachine(),
    settings: { ...settings, only: [...settings.only] },
    skipped: {},
  };
  log(`pulse bench: ${[...settings.only].join(', ')}; ${settings.seconds} s per point; work dir ${dir}`);
  const stage = async <T>(name: string, title: string, fn: () => Promise<T | string>): Promise<T | undefined> => {
    if (!settings.only.has(name)) {
      run.skipped[name] = 'not selected (BENCH_ONLY)';
      return undefined;
    }
    log(`\n== ${title}`);
    try {
      const out = await fn();
      if (typeof out === 'string') {
        run.skipped[name] = out;
        log(`  skipped: ${out}`);
        return undefined;
      }
      return out;
    } catch (err) {
      run.skipped[name] = `failed: ${(err as Error).message}`;
      log(`  FAILED: ${(err as Error).stack ?? String(err)}`);
      return undefined;
    }
  };
  try {
    const sub = (name: string) => join(dir, name);
    for (const name of ['throughput', 'fidelity', 'fanout', 'sd', 'burst', 'store']) await mkdir(sub(name));
    run.throughput = await stage('throughput', '(1)+(2) /probe throughput and memory', () => benchThroughput(sub('throughput'), settings, log));
    run.fidelity = await stage('fidelity', '(3) timing fidelity', () => benchFidelity(sub('fidelity'), settings, log));
    run.fanout = await stage('fanout', '(4) hub fan-out', () => benchFanout(sub('fanout'), settings, log));
    run.sd = await stage('sd', '(5) /sd service discovery', () => benchSd(sub('sd'), settings, log));
    run.burst = await stage('burst', '(6) burst connect times vs the kernel', () => benchBurst(sub('burst'), settings, log));
    await mkdir(sub('tunnels'));
    run.tunnels = await stage('tunnels', '(7) dial-out agents: fan-out, idle tunnels, relay', () => benchTunnels(sub('tunnels'), settings, log));
    run.store = await stage('store', '(8) embedded result store', () => benchStore(sub('store'), storeBenchOptions(process.env), log));
    run.asn = await stage('asn', '(9) ASN lookups', () => benchAsn({ lookups: settings.asnLookups, requests: settings.asnRequests }, log));
    await mkdir(sub('replicas'));
    run.replicas = await stage('replicas', '(10) hub replicas on Redis: fan-out across replicas, /sd from any', () => benchReplicas(sub('replicas'), replicasOptions(process.env), log));
  } finally {
    if (!process.env.BENCH_KEEP_DIR) await rm(dir, { recursive: true, force: true });
  }
  run.finishedAt = new Date().toISOString();
  const complete: BenchRun = { ...run, targets: evaluateTargets(run) };
  const resultsDir = settings.resultsDir ?? join(repoRoot(), 'bench', 'results');
  await mkdir(resultsDir, { recursive: true });
  const file = join(resultsDir, `${complete.startedAt.replace(/[:.]/g, '-')}.json`);
  await writeFile(file, `${JSON.stringify(complete, null, 2)}\n`);
  log(`\n${renderReport(complete)}\n\nResults: ${file}`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
