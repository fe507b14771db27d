import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { blackboxConfig, nginxConfig, pulseConfig } from './configs.js';
import { pulseCommand } from './launch.js';
import { benchFile, freePort, repoRoot, type Service, startService } from './proc.js';

export const BLACKBOX_BIN = process.env.BENCH_BLACKBOX_BIN ?? '/usr/bin/prometheus-blackbox-exporter';
export const NGINX_BIN = process.env.BENCH_NGINX_BIN ?? '/usr/sbin/nginx';

/**
 * The exporter as shipped: the bundle scripts/bundle.mjs writes (what `npm pack` installs), or
 * BENCH_PULSE_ENTRY, e.g. dist/exporter/main.js for the compiled sources.
 */
export function pulseEntry(): string {
  return process.env.BENCH_PULSE_ENTRY ?? join(repoRoot(), 'dist', 'package', 'bin', 'pulse-exporter.mjs');
}

/** BENCH_PULSE_NODE_ARGS: node flags added to the exporter's own (profiling, heap experiments). */
export function pulseNodeArgs(): string[] {
  return (process.env.BENCH_PULSE_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
}

export async function startPulseExporter(dir: string, opts: { workers?: number } = {}): Promise<Service> {
  const config = join(dir, 'pulse.yml');
  await writeFile(config, pulseConfig());
  const port = await freePort();
  const main = pulseEntry();
  const extra = (process.env.BENCH_PULSE_ARGS ?? '').split(/\s+/).filter(Boolean);
  if (opts.workers && opts.workers > 1) extra.push('--workers', String(opts.workers));
  const { command, args } = pulseCommand(main, pulseNodeArgs(), ['--config', config, '--listen', `127.0.0.1:${port}`, ...extra]);
  return startService({
    name: 'pulse-exporter',
    command,
    args,
    dir,
    port,
    readyPath: '/-/healthy',
  });
}

export async function startBlackbox(dir: string): Promise<Service> {
  const config = join(dir, 'blackbox.yml');
  await writeFile(config, blackboxConfig());
  const port = await freePort();
  return startService({
    name: 'blackbox-exporter',
    command: BLACKBOX_BIN,
    args: [`--config.file=${config}`, `--web.listen-address=127.0.0.1:${port}`],
    dir,
    port,
    readyPath: '/-/healthy',
  });
}

/** nginx from Debian as the fast target for throughput; a Node target if nginx is missing. */
export async function startFastTarget(dir: string): Promise<Service> {
  const port = await freePort();
  if (!existsSync(NGINX_BIN)) return startTargetServer(dir, 0);
  const conf = join(dir, 'nginx.conf');
  const workers = Number(process.env.BENCH_NGINX_WORKERS ?? 1);
  await writeFile(conf, nginxConfig(dir, port, workers));
  return startService({
    name: 'nginx',
    command: NGINX_BIN,
    args: ['-c', conf, '-p', dir, '-e', join(dir, 'nginx-error.log')],
    dir,
    port,
    readyPath: '/',
  });
}

/** A Node HTTP target in its own process that answers after `delayMs`. */
export async function startTargetServer(dir: string, delayMs: number): Promise<Service> {
  const port = await freePort();
  return startService({
    name: `target-${delayMs}ms`,
    command: process.execPath,
    args: [benchFile('target-server.js'), String(port), String(delayMs)],
    dir,
    port,
    readyPath: '/',
  });
}
