/**
 * Dial-out agents where the hub cannot reach them, built from network namespaces (root only):
 *
 *   hub namespace (hub process: agents' port on A.0.1 and A.3.2)
 *     ──veth── nat router ──veth── site              (exporter, NATed)
 *     ──veth── proxy-only site                       (exporter; nft lets out only to the proxy)
 *     ──veth── root (this test: API calls to A.3.2, CONNECT proxy on A.3.1)
 *
 * The hub's namespace is the sites' "internet": it routes the proxy-only site's packets to the
 * proxy and has routes to both sites, so only their own walls keep it out. The NAT router
 * masquerades the site and drops every connection from outside; the proxy-only site's firewall
 * accepts nothing inbound and sends nothing but to the proxy. The hub and the exporters are the
 * real binaries from dist/, each in its own namespace.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomInt } from 'node:crypto';
import { execa, type ResultPromise } from 'execa';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { AgentView } from '../../client/api.js';
import { initCa, issueFiles } from '../../lib/pki.js';
import { type ConnectProxy, startConnectProxy } from '../helpers/connect-proxy.js';
import { HUB_BIN } from '../helpers/hub-process.js';
import { netnsSkipReason, nftSkipReason } from '../helpers/netns.js';
import { type PulseProcess, startBinary } from '../helpers/spawn.js';
import { measure, rowsByAgent } from '../hub/client.js';
import { submit, waitFinished, waitFor } from '../hub/operations-fixture.js';

const EXPORTER = join(import.meta.dirname, '../../dist/exporter/main.js');
const skip = netnsSkipReason() ?? nftSkipReason();

async function sh(cmd: string, args: string[]): Promise<void> {
  const r = await execa(cmd, args, { reject: false, stdin: 'ignore' });
  if (r.failed) throw new Error(`${cmd} ${args.join(' ')}: ${String(r.stderr).trim() || r.shortMessage}`);
}

/**
 * Run inside a namespace: for each HOST:PORT argument, whether a TCP connection opens within 1.5 s
 * (printed as JSON). The hub's own namespace is where "the hub cannot reach the agent" holds.
 */
const OPENS = `
const { connect } = require('node:net');
const opens = (to) => new Promise((resolve) => {
  const i = to.lastIndexOf(':');
  const s = connect({ host: to.slice(0, i), port: Number(to.slice(i + 1)) });
  const done = (ok) => { s.destroy(); resolve(ok); };
  s.setTimeout(1500, () => done(false));
  s.once('connect', () => done(true));
  s.once('error', () => done(false));
});
Promise.all(process.argv.slice(1).map(opens)).then((r) => console.log(JSON.stringify(r)));
`;

async function opensFrom(ns: string, targets: string[]): Promise<boolean[]> {
  const r = await execa('ip', ['netns', 'exec', ns, process.execPath, '-e', OPENS, ...targets], { stdin: 'ignore' });
  return JSON.parse(r.stdout) as boolean[];
}

describe.skipIf(skip)('dial-out agents behind NAT and behind a proxy, in network namespaces', () => {
  const id = randomBytes(2).toString('hex');
  const hubNs = `p11-hub-${id}`;
  const nat = `p11-nat-${id}`;
  const site = `p11-site-${id}`;
  const psite = `p11-psite-${id}`;
  const spaces = [hubNs, nat, site, psite];
  const x = randomInt(200, 250);
  const a = (link: number, host: number) => `10.${x}.${link}.${host}`;
  let dir: string;
  let hub: PulseProcess | undefined;
  let hubOutput = () => '';
  let hubUrl: string;
  /** The hub's agents' port: a TCP port the sites can reach, so also their measurements' target. */
  let agentPort: number;
  let proxy: ConnectProxy;
  const procs: ResultPromise[] = [];
  const output: string[] = [];

  /** The hub's /agents/ view of one agent: connected means its tunnel is up. */
  const connected = async (name: string): Promise<boolean> => {
    const res = await fetch(`${hubUrl}/agents/`);
    const { agents } = (await res.json()) as { agents: AgentView[] };
    return agents.some((ag) => ag.name === name && ag.connection?.connected === true);
  };

  const nft = async (ns: string, rules: string) => {
    const file = join(dir, `${ns}.nft`);
    await writeFile(file, `${rules}\n`);
    await sh('ip', ['netns', 'exec', ns, 'nft', '-f', file]);
  };

  beforeAll(async () => {
    if (!existsSync(EXPORTER)) throw new Error(`${EXPORTER} is missing: run npm run build first`);
    dir = await mkdtemp(join(tmpdir(), 'pulse-netns-'));
    for (const ns of spaces) {
      await sh('ip', ['netns', 'add', ns]);
      // Nothing in here may ask the system resolver: each namespace gets its own (empty) one.
      await mkdir(`/etc/netns/${ns}`, { recursive: true });
      await writeFile(`/etc/netns/${ns}/resolv.conf`, 'nameserver 127.0.0.1\n');
      await sh('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
    }
    const veth = async (name: string, left: string | undefined, leftAddr: string, right: string, rightAddr: string) => {
      await sh('ip', ['link', 'add', `${name}a`, 'type', 'veth', 'peer', 'name', `${name}b`]);
      if (left) await sh('ip', ['link', 'set', `${name}a`, 'netns', left]);
      await sh('ip', ['link', 'set', `${name}b`, 'netns', right]);
      await sh('ip', [...(left ? ['-n', left] : []), 'addr', 'add', `${leftAddr}/24`, 'dev', `${name}a`]);
      await sh('ip', [...(left ? ['-n', left] : []), 'link', 'set', `${name}a`, 'up']);
      await sh('ip', ['-n', right, 'addr', 'add', `${rightAddr}/24`, 'dev', `${name}b`]);
      await sh('ip', ['-n', right, 'link', 'set', `${name}b`, 'up']);
    };
    await veth(`p11${id}w`, hubNs, a(0, 1), nat, a(0, 2));
    await veth(`p11${id}s`, nat, a(1, 1), site, a(1, 2));
    await veth(`p11${id}p`, hubNs, a(2, 1), psite, a(2, 2));
    await veth(`p11${id}h`, undefined, a(3, 1), hubNs, a(3, 2));
    // The NAT router: the site goes out masqueraded; nothing from outside gets in.
    await sh('ip', ['netns', 'exec', nat, 'sysctl', '-q', '-w', 'net.ipv4.ip_forward=1']);
    await sh('ip', ['-n', site, 'route', 'add', 'default', 'via', a(1, 1)]);
    // Even with a route to the site, the hub's side gets nowhere.
    await sh('ip', ['-n', hubNs, 'route', 'add', `${a(1, 0)}/24`, 'via', a(0, 2)]);
    // The hub's namespace carries the proxy-only site's packets to the proxy (in this test's namespace) and back.
    await sh('ip', ['netns', 'exec', hubNs, 'sysctl', '-q', '-w', 'net.ipv4.ip_forward=1']);
    await sh('ip', ['-n', psite, 'route', 'add', 'default', 'via', a(2, 1)]);
    await sh('ip', ['route', 'add', `${a(2, 0)}/24`, 'via', a(3, 2)]);
    const natRules = [
      'table ip p11nat {',
      '  chain nat_post { type nat hook postrouting priority 100; oifname "' + `p11${id}wb` + '" masquerade; }',
      '  chain filter_forward { type filter hook forward priority 0; policy drop; ct state established,related accept; iifname "' + `p11${id}sa` + '" accept; }',
      '}',
    ].join('\n');
    await nft(nat, natRules);
    proxy = await startConnectProxy({ user: 'school', password: 'secret', host: a(3, 1), allowed: () => true });
    // The proxy-only site: nothing in, and out only to the proxy.
    const psiteRules = [
      'table inet p11fw {',
      '  chain inbound { type filter hook input priority 0; policy drop; iif lo accept; ct state established,related accept; }',
      `  chain outbound { type filter hook output priority 0; policy drop; oif lo accept; ct state established,related accept; ip daddr ${a(3, 1)} tcp dport ${proxy.port} accept; }`,
      '}',
    ].join('\n');
    await nft(psite, psiteRules);

    const certDir = join(dir, 'pki');
    await initCa(certDir, { name: 'netns test CA' });
    const caFile = join(certDir, 'ca.crt');
    const hubCert = await issueFiles(certDir, { kind: 'server', name: 'hub', hosts: [a(0, 1), a(3, 2)] });
    const hubConfig = join(dir, 'hub.yml');
    await writeFile(
      hubConfig,
      JSON.stringify({
        hub: {
          listen: `${a(3, 2)}:0`,
          // Every address of the hub's namespace: the NAT router's side and the proxy's.
          agent_listen: '0.0.0.0:0',
          data_dir: join(dir, 'hub-data'),
          agent_tls: { cert_file: hubCert.certFile, key_file: hubCert.keyFile, ca_file: caFile },
          tunnel_keepalive: '1s',
          // The users' port is reachable from this test's namespace alone.
          auth: { required: false, allow_unauthenticated_network_access: true },
        },
      }),
    );
    const started = await startBinary('ip', ['netns', 'exec', hubNs, process.execPath, HUB_BIN, '--config', hubConfig], {
      exec: true,
      match: /"msg":"hub listening"/,
      readyMs: 60_000,
    });
    hub = started.proc;
    hubOutput = started.output;
    const line = started.output().split('\n').find((l) => l.includes('"hub listening"'))!;
    const addr = JSON.parse(line) as { users: string; agents: string };
    hubUrl = `http://${addr.users}`;
    agentPort = Number(addr.agents.slice(addr.agents.lastIndexOf(':') + 1));
    const start = async (name: string, ns: string, hubHost: string, hubExtra: Record<string, unknown>) => {
      const files = await issueFiles(certDir, { kind: 'agent', name });
      const configFile = join(dir, `${name}.yml`);
      const config = {
        modules: { tcp_connect: { prober: 'tcp', timeout: '5s' } },
        exporter: {
          listen: '0.0.0.0:9115',
          host_checks: { allowed_paths: ['/etc/hosts'] },
          hub: { url: `https://${hubHost}:${agentPort}`, ca_file: caFile, cert_file: files.certFile, key_file: files.keyFile, mode: 'dial-out', heartbeat_interval: '1s', ...hubExtra },
        },
      };
      await writeFile(configFile, stringify(config));
      const proc = execa('ip', ['netns', 'exec', ns, process.execPath, EXPORTER, '--config', configFile], { reject: false, all: true, buffer: false, stdin: 'ignore' });
      proc.all?.on('data', (c: Buffer) => output.push(`${name}: ${c.toString()}`));
      procs.push(proc);
    };
    await start('behind-nat', site, a(0, 1), {});
    // The proxy opens the connection to the hub, from this test's namespace.
    await start('behind-proxy', psite, a(3, 2), { proxy_url: proxy.url });
    await waitFor(async () => (await connected('behind-nat')) && (await connected('behind-proxy')), 30_000).catch((err: Error) => {
      throw new Error(`${err.message}\n${output.join('')}\nhub: ${hubOutput()}`);
    });
  }, 240_000);

  afterAll(async () => {
    for (const p of procs) p.kill('SIGKILL');
    hub?.kill('SIGKILL');
    await Promise.allSettled([...procs, ...(hub ? [hub] : [])]);
    await proxy?.close();
    await execa('ip', ['route', 'del', `${a(2, 0)}/24`], { reject: false });
    for (const ns of spaces) {
      await execa('ip', ['netns', 'delete', ns], { reject: false });
      await rm(`/etc/netns/${ns}`, { recursive: true, force: true });
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('the hub cannot open a connection to either agent', async () => {
    // From the hub's own namespace, which has a route to each site; its own agents' port is the control that a connection can open.
    expect(await opensFrom(hubNs, [`${a(1, 2)}:9115`, `${a(2, 2)}:9115`, `${a(0, 1)}:${agentPort}`])).toEqual([false, false, true]);
    expect(proxy.seen.some((s) => s.authorized)).toBe(true);
  });

  test('ad-hoc tests and operations reach both through their tunnels', async () => {
    const m = await measure(hubUrl, { type: 'tcp', target: `${a(0, 1)}:${agentPort}`, agents: { name: 'behind-nat' } });
    expect(rowsByAgent(m)['behind-nat']).toMatchObject({ status: 'ok' });
    const p = await measure(hubUrl, { type: 'tcp', target: `${a(3, 1)}:${proxy.port}`, agents: { name: 'behind-proxy' } });
    expect(rowsByAgent(p)['behind-proxy']).toMatchObject({ status: 'ok' });
    const res = await submit(hubUrl, { operations: { hosts: { type: 'file_exists', path: '/etc/hosts' } } });
    const op = await waitFinished(hubUrl, ((await res.json()) as { handle: string }).handle);
    expect(op.results.map((r) => `${r.agent}=${r.status}`).sort()).toEqual(['behind-nat=ok', 'behind-proxy=ok']);
  });

  test('a cut link makes the row offline within the keepalive bound; restored, the agent is back', async () => {
    await sh('ip', ['-n', nat, 'link', 'set', `p11${id}sa`, 'down']);
    const cut = Date.now();
    // hub.tunnel_keepalive 1s: a ping unanswered for 1 s closes the tunnel, so at most about 2 s.
    await waitFor(async () => !(await connected('behind-nat')), 5000);
    expect(Date.now() - cut).toBeLessThan(4000);
    const m = await measure(hubUrl, { type: 'tcp', target: `${a(0, 1)}:${agentPort}`, agents: { name: 'behind-nat' }, timeout: 10 });
    expect(rowsByAgent(m)['behind-nat']).toMatchObject({ status: 'offline' });
    await sh('ip', ['-n', nat, 'link', 'set', `p11${id}sa`, 'up']);
    await waitFor(async () => connected('behind-nat'), 30_000);
    const again = await measure(hubUrl, { type: 'tcp', target: `${a(0, 1)}:${agentPort}`, agents: { name: 'behind-nat' } });
    expect(rowsByAgent(again)['behind-nat']).toMatchObject({ status: 'ok' });
  }, 60_000);
});
