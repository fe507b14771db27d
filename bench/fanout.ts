import { type ChildProcess, fork } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { request } from 'undici';
import type { SimMessage, SimSpec, SimStats } from './agent-sim-core.js';
import { makeFleetPki } from './fleet-pki.js';
import { startHub } from './hub-service.js';
import { MB, readMemoryOf, sampleMemory } from './memory.js';
import { benchFile, type Service } from './proc.js';
import type { FanoutResult } from './results.js';
import type { BenchSettings } from './settings.js';
import { round } from './stats.js';

const ROUNDS = Number(process.env.BENCH_FANOUT_ROUNDS ?? 3);
/**
 * The measurement sent to the hub; the simulated agents answer it without probing anything, so
 * the target (loopback discard port) is never contacted. BENCH_FANOUT_TYPE=tcp sends a tcp test.
 */
function fanoutTest(): { type: string; target: string; timeout: number } {
  return process.env.BENCH_FANOUT_TYPE === 'tcp'
    ? { type: 'tcp', target: '127.0.0.1:9', timeout: 30 }
    : { type: 'http', target: 'http://127.0.0.1:9/', timeout: 30 };
}

/**
 * Benchmark (4): one measurement across N agents, simulated by one process serving N mutual-TLS
 * listeners that register with the hub through its agents' API and answer after a fixed delay.
 * The hub's cost is everything beyond that delay.
 */
export async function benchFanout(dir: string, s: BenchSettings, log: (line: string) => void): Promise<FanoutResult> {
  let t = Date.now();
  const pki = await makeFleetPki(join(dir, 'pki'), s.agents);
  log(`  ${s.agents} agent certificates issued (lib/pki, ECDSA P-256) in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  let hub: Service | undefined;
  let sim: Simulator | undefined;
  try {
    const h = await startHub(dir, { pki, dataDir: join(dir, 'hub-data') });
    hub = h;
    t = Date.now();
    sim = await startSimulator(dir, { pki, delayMs: s.agentDelayMs, hubAgentUrl: h.agentUrl, labels: { bench: 'fanout' } });
    if (sim.registered !== s.agents) {
      throw new Error(`only ${sim.registered} of ${s.agents} agents registered: ${sim.failures.join('; ')}`);
    }
    const registration = `${s.agents} agents registered over mutual TLS through the agents' API (${REGISTER_NOTE})`;
    log(`  ${registration} in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    const hubIdle = (await readMemoryOf(await h.pids())).rss;
    const sampler = sampleMemory(() => h.pids());
    const rounds: FanoutResult['rounds'] = [];
    for (let i = 0; i < ROUNDS; i++) {
      await sim.call('reset');
      const started = Date.now();
      const res = await request(`${h.url}/api/v1/measurements`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(fanoutTest()),
        headersTimeout: 120_000,
        bodyTimeout: 120_000,
      });
      const text = await res.body.text();
      const finished = Date.now();
      if (res.statusCode !== 200) throw new Error(`hub answered HTTP ${res.statusCode}: ${text.slice(0, 300)}`);
      const m = JSON.parse(text) as { summary: Record<string, number>; rows: unknown[] };
      const stats = await sim.call('stats');
      const totalMs = finished - started;
      const { ok = 0, ...other } = m.summary;
      const r = {
        totalMs,
        beyondSlowestMs: totalMs - s.agentDelayMs,
        afterLastAnswerMs: stats.lastAnswerAt ? finished - stats.lastAnswerAt : Number.NaN,
        ok,
        other: Object.fromEntries(Object.entries(other).filter(([, n]) => n > 0)),
      };
      rounds.push(r);
      log(
        `  round ${i + 1}: ${totalMs} ms for ${m.rows.length} rows (ok ${ok}), ${r.beyondSlowestMs} ms beyond the ${s.agentDelayMs} ms agents; last answer → hub reply ${r.afterLastAnswerMs} ms; calls ${stats.calls}`,
      );
    }
    const peak = await sampler.stop();
    return {
      agents: s.agents,
      agentDelayMs: s.agentDelayMs,
      rounds,
      // The first round opens every TLS connection; users see that one too, so the worst counts.
      beyondSlowestMs: Math.max(...rounds.map((r) => r.beyondSlowestMs)),
      hubIdleMB: round(hubIdle / MB, 1),
      hubPeakMB: round(Math.max(peak.rss, hubIdle) / MB, 1),
      registration,
    };
  } finally {
    sim?.stop();
    await hub?.stop();
  }
}

const REGISTER_NOTE = 'POST /api/v1/agents/register with each agent certificate';

interface Simulator {
  registered: number;
  failures: string[];
  call(cmd: 'stats' | 'reset'): Promise<SimStats>;
  stop(): void;
}

async function startSimulator(dir: string, spec: SimSpec): Promise<Simulator> {
  const specFile = join(dir, 'agent-sim.json');
  await writeFile(specFile, JSON.stringify(spec));
  const child: ChildProcess = fork(benchFile('agent-sim.js'), [specFile], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ready = await new Promise<Extract<SimMessage, { type: 'ready' }>>((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`agent simulator exited (${code}) before it was ready`));
    child.once('exit', onExit);
    child.once('message', (m: SimMessage) => {
      child.off('exit', onExit);
      if (m.type === 'ready') resolve(m);
      else reject(new Error('agent simulator: unexpected message'));
    });
  });
  return {
    registered: ready.registered,
    failures: ready.failures,
    call: (cmd) =>
      new Promise((resolve) => {
        child.once('message', (m: SimMessage) => {
          if (m.type === 'stats') resolve(m.stats);
        });
        child.send({ cmd });
      }),
    stop: () => {
      child.kill('SIGTERM');
    },
  };
}
