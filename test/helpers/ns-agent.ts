/**
 * One more agent of a test fleet, living in a network namespace of its own: its 127.0.0.1 is
 * not the root's, so a target address every agent is given can answer it otherwise (a slow web
 * server, another DNS answer): the per-agent difference is made by the network, as in production.
 *
 *   root ns (hub, other agents)  10.X.0.1 ──veth── 10.X.0.2  namespace p16-…: exporter process,
 *                                                             its own targets on 127.0.0.1, and a
 *                                                             relay 127.0.0.1:AGENT_PORT → hub
 *
 * The hub calls the agent at 10.X.0.2 (its certificate names that address); the agent reaches
 * the hub's agents' port through the relay, so it uses the fleet's URL and the hub's certificate
 * unchanged. Nothing leaves the two namespaces; teardown deletes the namespace and its veth.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { type AddressInfo, connect, createServer, type Server } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { execa, type ResultPromise } from 'execa';
import { issueFiles } from '../../lib/pki.js';
import type { Fleet } from './fleet.js';
import { freeBlock, ip } from './netns.js';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

export interface NsServices {
  http?: { port: number; delayMs: number; status: number };
  dns?: { port: number; name: string; addrs: string[] };
}

export interface NsAgent {
  name: string;
  ns: string;
  address: string;
  teardown(): Promise<void>;
}

/** exporter/main.ts bundled as `npm run build` would compile it; two folders below the repo, for the version lookup. */
async function exporterBundle(dir: string): Promise<string> {
  const outfile = join(dir, 'exporter.mjs');
  await build({ entryPoints: [join(ROOT, 'exporter/main.ts')], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'error' });
  return outfile;
}

function waitForLine(proc: ResultPromise, re: RegExp, what: string, ms = 20_000): Promise<void> {
  let seen = '';
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`${what}: nothing matching ${re} within ${ms}ms:\n${seen}`)), ms);
    const on = (chunk: Buffer) => {
      seen += chunk.toString();
      if (re.test(seen)) {
        clearTimeout(timer);
        ok();
      }
    };
    proc.stdout?.on('data', on);
    proc.stderr?.on('data', on);
    proc.then(
      (r) => fail(new Error(`${what} exited (${r.exitCode}) before it was ready:\n${seen}`)),
      (err: Error) => fail(err),
    );
  });
}

export async function startNsAgent(fleet: Fleet, spec: { name: string; labels?: Record<string, string>; services: NsServices }): Promise<NsAgent> {
  const id = randomBytes(3).toString('hex');
  const ns = `p16-${id}`;
  const hostIf = `p16v${id}a`;
  const x = await freeBlock(150, 200);
  const rootAddr = `10.${x}.0.1`;
  const nsAddr = `10.${x}.0.2`;
  const dir = join(ROOT, 'test-artifacts', `ns-agent-${id}`);
  const procs: ResultPromise[] = [];
  let relay: Server | undefined;

  const teardown = async () => {
    for (const p of procs) {
      p.stdin?.end();
      if (p.pid !== undefined) process.kill(p.pid, 'SIGTERM');
    }
    await Promise.allSettled(procs);
    relay?.close();
    await execa('ip', ['netns', 'delete', ns], { reject: false });
    await execa('ip', ['link', 'delete', hostIf], { reject: false });
    await rm(`/etc/netns/${ns}`, { recursive: true, force: true });
    await rm(dir, { recursive: true, force: true });
  };

  try {
    await mkdir(dir, { recursive: true });
    await ip(['netns', 'add', ns]);
    await ip(['netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up']);
    await ip(['link', 'add', hostIf, 'type', 'veth', 'peer', 'name', `p16v${id}b`]);
    await ip(['link', 'set', `p16v${id}b`, 'netns', ns]);
    await ip(['addr', 'add', `${rootAddr}/24`, 'dev', hostIf]);
    await ip(['link', 'set', hostIf, 'up']);
    await ip(['netns', 'exec', ns, 'ip', 'addr', 'add', `${nsAddr}/24`, 'dev', `p16v${id}b`]);
    await ip(['netns', 'exec', ns, 'ip', 'link', 'set', `p16v${id}b`, 'up']);
    // A resolver file of its own: the agent never asks the machine's resolver for anything.
    await mkdir(`/etc/netns/${ns}`, { recursive: true });
    await writeFile(`/etc/netns/${ns}/resolv.conf`, 'nameserver 127.0.0.1\n');

    // Root side of the relay: the veth address, on to the hub's agents' port on loopback.
    const agentPort = Number(new URL(fleet.agentUrl).port);
    relay = createServer((inbound) => {
      const out = connect(agentPort, '127.0.0.1');
      inbound.pipe(out).pipe(inbound);
      inbound.on('error', () => out.destroy());
      out.on('error', () => inbound.destroy());
    });
    await new Promise<void>((ok) => relay!.listen(0, rootAddr, ok));
    const relayPort = (relay.address() as AddressInfo).port;

    const services = spawnInNs(ns, ['node', join(ROOT, 'test/helpers/ns-services.mjs'), JSON.stringify({ forward: { port: agentPort, to: `${rootAddr}:${relayPort}` }, ...spec.services })]);
    procs.push(services);
    const [bundle, files] = await Promise.all([
      exporterBundle(dir),
      issueFiles(fleet.certDir, { kind: 'agent', name: spec.name, hosts: [nsAddr, '127.0.0.1', 'localhost'] }),
      waitForLine(services, /^ready$/m, 'namespace services'),
    ]);
    const config = {
      exporter: {
        listen: `${nsAddr}:0`,
        labels: spec.labels ?? {},
        tls: { cert_file: files.certFile, key_file: files.keyFile, client_ca_file: fleet.caFile },
        hub: { url: fleet.agentUrl, ca_file: fleet.caFile, cert_file: files.certFile, key_file: files.keyFile, heartbeat_interval: '1s' },
      },
    };
    // JSON is YAML: the exporter reads it as its config file.
    const configFile = join(dir, 'pulse.yml');
    await writeFile(configFile, JSON.stringify(config, null, 2));
    const exporter = spawnInNs(ns, ['node', bundle, '--config', configFile, '--log-level', 'warn']);
    procs.push(exporter);
    await fleet.waitActive([spec.name]);
  } catch (err) {
    await teardown();
    throw err;
  }
  return { name: spec.name, ns, address: nsAddr, teardown };
}

function spawnInNs(ns: string, cmd: string[]): ResultPromise {
  const p = execa('ip', ['netns', 'exec', ns, ...cmd], { reject: false, stdin: 'pipe', buffer: false, cwd: ROOT });
  // A broken pipe at teardown is expected; nothing should surface as an unhandled error.
  p.stdin?.on('error', () => undefined);
  return p;
}
