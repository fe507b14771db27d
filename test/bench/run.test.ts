import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import type { BenchRun } from '../../bench/results.js';
import { BLACKBOX_BIN } from '../../bench/services.js';

const RUN = join(import.meta.dirname, '../../dist/bench/run.js');

describe('npm run bench, cut down to a moment', () => {
  it.skipIf(!existsSync(BLACKBOX_BIN))(
    'runs Pulse and blackbox_exporter side by side on loopback and writes the JSON result',
    async () => {
      const results = await mkdtemp(join(tmpdir(), 'bench-results-'));
      try {
        const r = await execa('node', [RUN], {
          reject: false,
          all: true,
          env: {
            BENCH_ONLY: 'throughput',
            BENCH_SECONDS: '0.5',
            BENCH_WARMUP_SECONDS: '0',
            BENCH_JIT_WARMUP_SECONDS: '0.2',
            BENCH_CONCURRENCY: '2',
            BENCH_MAX_REQUESTS: '200',
            BENCH_STARTUP_RUNS: '1',
            BENCH_RESULTS_DIR: results,
          },
        });
        expect(r.exitCode, r.all).toBe(0);
        const [file] = await readdir(results);
        const run = JSON.parse(await readFile(join(results, file!), 'utf8')) as BenchRun;
        expect(run.throughput?.errors).toEqual({});
        const points = run.throughput?.points ?? [];
        expect(points.map((p) => `${p.module}/${p.exporter}`).sort()).toEqual([
          'http_2xx/blackbox',
          'http_2xx/pulse',
          'http_body_regex/blackbox',
          'http_body_regex/pulse',
          'tcp_connect/blackbox',
          'tcp_connect/pulse',
        ]);
        for (const p of points) {
          expect(p.ok, `${p.module} ${p.exporter}: ${JSON.stringify(p.failures)}`).toBeGreaterThan(0);
          expect(p.failed).toBe(0);
        }
        expect(run.throughput?.memory.pulse?.idleMB).toBeGreaterThan(0);
        expect(run.throughput?.startup?.pulse?.runsMs).toHaveLength(1);
        expect(run.throughput?.startup?.blackbox?.medianMs).toBeGreaterThan(0);
        expect(run.throughput?.memory.blackbox?.peakMB).toBeGreaterThan(0);
        expect(run.targets.find((t) => t.id === '1:http_2xx@2')?.pass).not.toBeNull();
        expect(run.skipped).toMatchObject({ fidelity: 'not selected (BENCH_ONLY)' });
        expect(r.stdout).toContain('Targets:');
      } finally {
        await rm(results, { recursive: true, force: true });
      }
    },
    120_000,
  );
});
