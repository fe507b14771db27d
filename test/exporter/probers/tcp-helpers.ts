import { createServer, type Server, type Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { execa } from 'execa';
import { resolveConfig } from '../../../lib/config/load.js';
import type { Module } from '../../../lib/config/module.js';
import { renderExposition } from '../../../lib/probe/exposition.js';
import { sortedFamilies } from '../../../exporter/debug.js';
import { executeProbe, type ProbeOutcome, prepareProbe } from '../../../exporter/probe.js';
import { defaultProbers } from '../../../exporter/probers/index.js';

const open = new WeakMap<Server, Set<Socket>>();

/** Listens on port 0 of `host`; resolves with the port. Connections are tracked for close(). */
export async function listen(server: Server, host = '127.0.0.1'): Promise<number> {
  const sockets = new Set<Socket>();
  open.set(server, sockets);
  // 'secureConnection' servers still emit 'connection' with the raw socket first.
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const addr = server.address();
  if (!addr || typeof addr === 'string') throw new Error('no address');
  return addr.port;
}

/** Stops listening and drops the connections still open (a silent server's, for one). */
export function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    for (const s of open.get(server) ?? []) s.destroy();
  });
}

/** Calls `onLine` for each line the client sends (CRLF or LF), on a plain or TLS socket. */
export function onLines(socket: Socket | TLSSocket, onLine: (line: string) => void): () => void {
  let buf = '';
  const onData = (d: Buffer) => {
    buf += d.toString('utf8');
    for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
      const line = buf.slice(0, nl).replace(/\r$/, '');
      buf = buf.slice(nl + 1);
      onLine(line);
    }
  };
  socket.on('data', onData);
  socket.on('error', () => {});
  return () => socket.off('data', onData);
}

/**
 * A tiny SMTP-like server: greets, answers EHLO with its capabilities, upgrades on STARTTLS with
 * node:tls, and echoes what it heard (`250 heard <line>`) so tests can see what was sent.
 */
export function smtpLikeServer(tls: { key: string; cert: string }, heard: string[] = []): Server {
  return createServer((socket) => {
    socket.on('error', () => {});
    socket.write('220 mail.test ESMTP Pulse-test ready\r\n');
    const stop = onLines(socket, (line) => {
      heard.push(line);
      if (/^EHLO /.test(line)) socket.write(`250-mail.test greets ${line.slice(5)}\r\n250-STARTTLS\r\n250 SIZE 1000\r\n`);
      else if (line === 'STARTTLS') {
        stop();
        socket.write('220 2.0.0 Ready to start TLS\r\n', () => {
          const secure = new TLSSocket(socket, { isServer: true, key: tls.key, cert: tls.cert });
          secure.on('error', () => {});
          onLines(secure, (l) => {
            heard.push(`tls:${l}`);
            secure.write(`250 heard ${l}\r\n`);
          });
        });
      } else socket.write(`250 heard ${line}\r\n`);
    });
  });
}

/** Runs a tcp module's probe the way /probe does (validation, timeout, metrics). */
export async function probeTcp(tcp: Record<string, unknown>, target: string, timeout = '5s'): Promise<ProbeOutcome> {
  const cfg = resolveConfig({ modules: { m: { prober: 'tcp', timeout, tcp } } });
  const mod = cfg.modules.m as Module;
  const probers = defaultProbers();
  const req = { moduleName: 'm', module: mod, target };
  const { prober, timeoutSeconds } = prepareProbe(probers, cfg.exporter, req);
  return executeProbe(prober, cfg.exporter, req, timeoutSeconds, undefined);
}

export function exposition(outcome: ProbeOutcome): string {
  return renderExposition(sortedFamilies(outcome));
}

/** `promtool check metrics` on exposition text; resolves with its exit code and output. */
export async function promtoolCheck(text: string): Promise<{ exitCode: number | undefined; output: string }> {
  const r = await execa('promtool', ['check', 'metrics'], { input: text, reject: false, all: true });
  return { exitCode: r.exitCode, output: r.all ?? '' };
}

/** Series identities (name and labels, no values), sorted, for comparing with blackbox. */
export function seriesKeys(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => l.slice(0, l.lastIndexOf(' ')))
    .sort();
}
