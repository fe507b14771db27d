/**
 * The burst prober, TCP ping and socket states against a host in a network namespace of our own:
 * root ns ──veth── p17-<id> (the far end). Filters (nft) and loss (netem) are applied inside the
 * namespace, so nothing outside it is touched; teardown deletes it with its veth and routes.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { execa } from 'execa';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countByState, type TcpState } from '../../exporter/sockets/parse.js';
import { readTcpSockets } from '../../exporter/sockets/read.js';
import { registerHostSocketMetrics } from '../../exporter/sockets/self-metric.js';
import { runWith } from '../helpers/burst.js';
import { netnsSkipReason, nftSkipReason } from '../helpers/netns.js';

const skip = netnsSkipReason() ?? nftSkipReason();
const id = randomBytes(2).toString('hex');
const ns = `p17-${id}`;
const rootLink = `p17${id}a`;
const nsLink = `p17${id}b`;
let x = 0;
let far = '';
const children: ChildProcess[] = [];

async function run(cmd: string, args: string[]): Promise<string> {
  const r = await execa(cmd, args, { reject: false, stdin: 'ignore' });
  if (r.failed) throw new Error(`${cmd} ${args.join(' ')}: ${String(r.stderr).trim() || r.shortMessage}`);
  return String(r.stdout);
}
const inNs = (cmd: string, args: string[]) => run('ip', ['netns', 'exec', ns, cmd, ...args]);

/** Starts a Python program inside the namespace; resolves with its pid once it prints "ready". */
function pyInNs(code: string, args: string[] = []): Promise<number> {
  const child = spawn('ip', ['netns', 'exec', ns, 'python3', '-c', code, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /ready (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (c) => reject(new Error(`python in ${ns} exited with ${c}: ${out}`)));
  });
}

// Accepts forever on each port given, reading until the client closes.
const ACCEPTOR = `
import socket,sys,threading,os
def serve(port):
    s=socket.socket(); s.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1); s.bind(('0.0.0.0',port)); s.listen(1024)
    while True:
        c,_=s.accept()
        threading.Thread(target=lambda c=c: (c.recv(1), c.close()),daemon=True).start()
for p in sys.argv[1:]: threading.Thread(target=serve,args=(int(p),),daemon=True).start()
print('ready',os.getpid(),flush=True)
threading.Event().wait()
`;

// Leaves sockets in known states on loopback inside the namespace (IPv4 and IPv6), then waits.
const STATES = `
import socket,os,time
keep=[]
for fam,host in ((socket.AF_INET,'127.0.0.1'),(socket.AF_INET6,'::1')):
    l=socket.socket(fam); l.bind((host,0)); l.listen(16); keep.append(l)
    port=l.getsockname()[1]
    for i in range(3):
        c=socket.socket(fam); c.connect((host,port)); a,_=l.accept(); keep+= [c,a]
    c=socket.socket(fam); c.connect((host,port)); a,_=l.accept(); c.close(); time.sleep(0.05); keep.append(a)
    c=socket.socket(fam); c.connect((host,port)); a,_=l.accept(); c.close(); time.sleep(0.05); a.close()
time.sleep(0.2)
print('ready',os.getpid(),flush=True)
time.sleep(120)
`;

// A CONNECT proxy (no auth) that tunnels to the host and port asked for, from inside the namespace.
const PROXY = `
import socket,sys,threading,os
def pipe(a,b):
    try:
        while True:
            d=a.recv(65536)
            if not d: break
            b.sendall(d)
    except OSError: pass
    for s in (a,b):
        try: s.shutdown(socket.SHUT_RDWR)
        except OSError: pass
def handle(c):
    head=b''
    while b'\\r\\n\\r\\n' not in head:
        d=c.recv(4096)
        if not d: c.close(); return
        head+=d
    host,port=head.split(b' ')[1].decode().rsplit(':',1)
    try: u=socket.create_connection((host,int(port)),timeout=10)
    except OSError: c.sendall(b'HTTP/1.1 502 Bad Gateway\\r\\n\\r\\n'); c.close(); return
    u.settimeout(None)
    c.sendall(b'HTTP/1.1 200 Connection Established\\r\\n\\r\\n')
    threading.Thread(target=pipe,args=(u,c),daemon=True).start()
    pipe(c,u)
s=socket.socket(); s.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1); s.bind(('0.0.0.0',int(sys.argv[1]))); s.listen(1024)
print('ready',os.getpid(),flush=True)
while True:
    c,_=s.accept(); threading.Thread(target=handle,args=(c,),daemon=True).start()
`;

const SS_STATES: Record<string, TcpState> = {
  ESTAB: 'established',
  'SYN-SENT': 'syn_sent',
  'SYN-RECV': 'syn_recv',
  'FIN-WAIT-1': 'fin_wait1',
  'FIN-WAIT-2': 'fin_wait2',
  'TIME-WAIT': 'time_wait',
  UNCONN: 'close',
  'CLOSE-WAIT': 'close_wait',
  'LAST-ACK': 'last_ack',
  LISTEN: 'listen',
  CLOSING: 'closing',
};

beforeAll(async () => {
  if (skip) return;
  const used = await run('ip', ['-4', 'route', 'show', 'table', 'all']);
  do x = randomInt(150, 200);
  while (used.includes(`10.${x}.`));
  far = `10.${x}.0.2`;
  await run('ip', ['netns', 'add', ns]);
  await inNs('ip', ['link', 'set', 'lo', 'up']);
  await run('ip', ['link', 'add', rootLink, 'type', 'veth', 'peer', 'name', nsLink]);
  await run('ip', ['link', 'set', nsLink, 'netns', ns]);
  await run('ip', ['addr', 'add', `10.${x}.0.1/24`, 'dev', rootLink]);
  await run('ip', ['link', 'set', rootLink, 'up']);
  await inNs('ip', ['addr', 'add', `${far}/24`, 'dev', nsLink]);
  await inNs('ip', ['link', 'set', nsLink, 'up']);
  await Promise.all([pyInNs(ACCEPTOR, ['8081', '8082']), pyInNs(PROXY, ['3128'])]);
}, 30_000);

afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  if (skip) return;
  await execa('ip', ['netns', 'delete', ns], { reject: false });
  await execa('ip', ['link', 'delete', rootLink], { reject: false });
});

describe.skipIf(skip)('socket states in a namespace', () => {
  it('counts the same sockets by state as ss -tan, at the same moment, on /metrics too', async () => {
    const pid = await pyInNs(STATES);
    const [ours, ssOut] = await Promise.all([readTcpSockets(`/proc/${pid}/net`), inNs('ss', ['-tanH'])]);
    const theirs: Record<string, number> = {};
    for (const line of ssOut.split('\n').filter((l) => l.trim() !== '')) {
      const st = SS_STATES[line.trim().split(/\s+/)[0]!]!;
      const family = line.includes('[') || /\s::/.test(line) ? '6' : '4';
      theirs[`${family}/${st}`] = (theirs[`${family}/${st}`] ?? 0) + 1;
    }
    const counts = countByState(ours);
    const mine: Record<string, number> = {};
    for (const f of ['4', '6'] as const) for (const [st, n] of Object.entries(counts[f])) if (n > 0) mine[`${f}/${st}`] = n;
    expect(mine).toEqual(theirs);
    // The python program made, per family: 3 connected pairs, one CLOSE_WAIT, one TIME_WAIT.
    expect(counts['4']).toMatchObject({ established: 6, close_wait: 1, fin_wait2: 1, time_wait: 1 });
    expect(counts['6']).toMatchObject({ established: 6, close_wait: 1, fin_wait2: 1, time_wait: 1 });
    const registry = new Registry();
    registerHostSocketMetrics(registry, `/proc/${pid}/net`);
    const text = await registry.metrics();
    expect(text).toContain('pulse_host_tcp_sockets{family="4",state="established"} 6');
    expect(text).toContain('pulse_host_tcp_sockets{family="6",state="time_wait"} 1');
  });
});

describe.skipIf(skip)('burst and TCP ping across a namespace path', () => {
  it('reports stalled handshakes in proportion to the SYNs an nft rule drops', async () => {
    await inNs('nft', ['add table inet p17; add chain inet p17 input { type filter hook input priority 0; policy accept; }']);
    // Every 4th SYN to port 8081 is dropped: its sender only retries after 1 s (or 3 s).
    await inNs('nft', ['add rule inet p17 input tcp dport 8081 tcp flags & (syn | ack) == syn numgen inc mod 4 == 0 drop']);
    try {
      const out = await runWith('burst', { connections: 20, concurrency: 20, attempt_timeout: '4s' }, `${far}:8081`, '10s');
      expect(out.reason).toBeUndefined();
      expect(out.metrics.get('probe_burst_attempts')).toBe(20);
      expect(out.metrics.get('probe_burst_stalled_handshakes')).toBe(5);
      expect(out.metrics.get('probe_burst_connect_seconds', { quantile: '0.5' })).toBeLessThan(0.5);
      expect(out.metrics.get('probe_burst_connect_seconds', { quantile: '1' })).toBeGreaterThan(0.9);
      // The exporter itself was not the stall: its event loop never waited anywhere near a second.
      expect(out.metrics.get('probe_burst_event_loop_delay_max_seconds')).toBeLessThan(0.5);
    } finally {
      await inNs('nft', ['delete table inet p17']);
    }
  }, 15_000);

  it('sees the stalls only through the proxy when the proxy\'s own upstream SYNs are dropped', async () => {
    // Every 4th SYN the proxy sends to its upstream (port 8081 on the namespace's loopback) is lost.
    await inNs('nft', ['add table inet p17; add chain inet p17 output { type filter hook output priority 0; policy accept; }']);
    await inNs('nft', ['add rule inet p17 output oif lo tcp dport 8081 tcp flags & (syn | ack) == syn numgen inc mod 4 == 0 drop']);
    try {
      const direct = await runWith('burst', { connections: 8, concurrency: 8 }, `${far}:8081`, '10s');
      expect(direct.metrics.get('probe_burst_stalled_handshakes')).toBe(0);
      const proxied = await runWith('burst', { connections: 20, concurrency: 20, attempt_timeout: '4s', proxy_url: `http://${far}:3128` }, '127.0.0.1:8081', '10s');
      expect(proxied.reason).toBeUndefined();
      expect(proxied.details.proxy).toBe(`${far}:3128`);
      expect(proxied.metrics.get('probe_burst_stalled_handshakes')).toBe(5);
    } finally {
      await inNs('nft', ['delete table inet p17']);
    }
  }, 15_000);

  it('TCP ping measures RTT and loss where ICMP is dropped and packets are lost', async () => {
    await inNs('nft', ['add table inet p17; add chain inet p17 input { type filter hook input priority 0; policy accept; }; add rule inet p17 input meta l4proto icmp drop']);
    // netem where the kernel has it (5 ms delay, 30 % loss); else nft loses 30 % of the answers.
    const netem = await execa('ip', ['netns', 'exec', ns, 'tc', 'qdisc', 'add', 'dev', nsLink, 'root', 'netem', 'delay', '5ms', 'loss', '30%'], { reject: false });
    if (netem.failed) {
      await inNs('nft', ['add chain inet p17 output { type filter hook output priority 0; policy accept; }; add rule inet p17 output tcp sport 8082 numgen random mod 10 < 3 drop']);
    }
    try {
      const icmp = await runWith('icmp', { preferred_ip_protocol: 'ip4', packets: 2, interval: '200ms' }, far, '2s');
      expect(icmp.success).toBe(false);
      const out = await runWith('tcp', { preferred_ip_protocol: 'ip4', packets: 30, interval: '20ms', packet_timeout: '300ms' }, `${far}:8082`, '20s');
      expect(out.reason).toBeUndefined();
      expect(out.metrics.get('probe_tcp_ping_packets_sent')).toBe(30);
      const loss = out.metrics.get('probe_tcp_ping_packet_loss_ratio')!;
      expect(loss).toBeGreaterThan(0.03);
      expect(loss).toBeLessThan(0.7);
      expect(out.metrics.get('probe_tcp_ping_rtt_seconds', { stat: 'min' })).toBeGreaterThan(netem.failed ? 0 : 0.004);
      expect(out.metrics.get('probe_tcp_ping_rtt_seconds', { stat: 'stddev' })).toBeGreaterThanOrEqual(0);
    } finally {
      if (!netem.failed) await inNs('tc', ['qdisc', 'del', 'dev', nsLink, 'root']);
      await inNs('nft', ['delete table inet p17']);
    }
  }, 30_000);
});
