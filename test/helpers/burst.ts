import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { executeProbe, type ProbeOutcome, prepareProbe } from '../../exporter/probe.js';
import { defaultProbers } from '../../exporter/probers/index.js';
import { resolveConfig } from '../../lib/config/load.js';

/** Runs a module of `prober` through the exporter's real path, with an optional `exporter:` section. */
export async function runWith(
  prober: string,
  section: Record<string, unknown>,
  target: string,
  timeout = '10s',
  exporter: Record<string, unknown> = {},
): Promise<ProbeOutcome> {
  const cfg = resolveConfig({ exporter, modules: { m: { prober, timeout, [prober]: section } } });
  const req = { module: cfg.modules.m!, target };
  const { prober: p, timeoutSeconds } = prepareProbe(defaultProbers(), cfg.exporter, req);
  return executeProbe(p, cfg.exporter, req, timeoutSeconds, undefined);
}

/** A TCP server on loopback port 0 that counts the connections open on its side right now. */
export interface CountingServer {
  port: number;
  open(): number;
  accepted(): number;
  close(): Promise<void>;
}

export async function countingServer(onSocket: (s: Socket) => void = () => {}, host = '127.0.0.1'): Promise<CountingServer> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server: Server = createServer((s) => {
    accepted++;
    sockets.add(s);
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
    onSocket(s);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return {
    port: (server.address() as { port: number }).port,
    open: () => sockets.size,
    accepted: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * A listener that never accepts, with a backlog of `backlog`: once its accept queue is full the
 * kernel drops further SYNs, so clients see exactly the stalled handshakes a burst must report.
 * Python, because Node always accepts.
 */
export async function unacceptingListener(backlog: number, host = '127.0.0.1'): Promise<{ port: number; stop(): void; child: ChildProcess }> {
  const code = `import socket,sys,time\ns=socket.socket()\ns.bind((sys.argv[1],0))\ns.listen(int(sys.argv[2]))\nprint(s.getsockname()[1],flush=True)\ntime.sleep(120)\n`;
  const child = spawn('python3', ['-c', code, host, String(backlog)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
    child.once('error', reject);
    child.once('exit', (c) => reject(new Error(`listener exited with ${c}`)));
  });
  return { port, child, stop: () => child.kill('SIGKILL') };
}
