import { rm } from 'node:fs/promises';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Row } from '../../client/api.js';
import { type Fleet, startFleet } from '../helpers/fleet.js';
import { createTestPki } from '../helpers/tls.js';
import { buildPulseBinary, runPulse } from './helpers/binary.js';
import { type Closable, closedPort, dnsServer, httpServer, tcpServer } from './helpers/servers.js';

/** The real `pulse` binary against a real hub with two real exporters on loopback. */

let fleet: Fleet;
let bin: string;
let tcp: Closable;
let env: Record<string, string>;

const ndjson = (text: string) =>
  text
    .trim()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Row);

beforeAll(async () => {
  [fleet, bin, tcp] = await Promise.all([
    startFleet({
      agents: [
        { name: 'ams-1', labels: { region: 'eu', pop: 'ams' } },
        { name: 'nyc-1', labels: { region: 'us', pop: 'nyc' } },
      ],
      // Long enough that a loaded machine never misses it; the offline test stops an agent on purpose.
      hub: { agent_inactive_after: '6s' },
    }),
    buildPulseBinary(),
    tcpServer(),
  ]);
  env = { PULSE_HUB: fleet.hubUrl };
});

afterAll(async () => {
  await tcp?.close();
  await fleet?.close();
  if (bin) await rm(dirname(bin), { recursive: true, force: true });
});

describe('pulse --help', () => {
  it('documents the commands, the hub setting and the exit statuses', async () => {
    const r = await runPulse(bin, ['--help']);
    expect(r.exitCode).toBe(0);
    for (const cmd of ['agents', 'dns', 'http', 'mtr', 'ping', 'tcp', 'get', 'certs']) expect(r.stdout).toMatch(new RegExp(`^  ${cmd}\\b`, 'm'));
    expect(r.stdout).toContain('PULSE_HUB');
    expect(r.stdout).toMatch(/^ {2}0 {2}every agent answered ok$/m);
    expect(r.stdout).toMatch(/^ {2}1 {2}any agent failed, timed out or was offline/m);
    expect(r.stdout).toMatch(/^ {2}2 {2}usage error, the hub refused the request, or the hub could not be reached$/m);
  });

  it('exits 2 on usage errors', async () => {
    const unknown = await runPulse(bin, ['tcp', '--bogus', 'x:1'], { env });
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain("unknown option '--bogus'");
    const badType = await runPulse(bin, ['dns', 'localhost', '--type', 'A-A'], { env });
    expect(badType.exitCode).toBe(2);
    expect(badType.stderr).toContain('is not a record type');
    const selector = await runPulse(bin, ['--agents', 'region', 'tcp', 'x:1'], { env });
    expect(selector.exitCode).toBe(2);
    expect(selector.stderr).toContain('agent selector "region" must be key=value');
    const certs = await runPulse(bin, ['certs', 'issue'], { env });
    expect(certs.exitCode).toBe(2);
    expect(certs.stderr).toContain('required option');
  });
});

describe('pulse agents', () => {
  it('lists the fleet as a table', async () => {
    const r = await runPulse(bin, ['agents'], { env });
    expect(r.exitCode).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+STATE\s+LABELS\s+VERSION\s+LAST SEEN\s+PROBERS/);
    expect(lines[1]).toMatch(/^ams-1\s+online\s+(region=eu,pop=ams|pop=ams,region=eu)\s+\d+\.\d+\.\d+\s+\d+s ago\s+\S*tcp/);
    expect(lines[2]).toMatch(/^nyc-1\s+online\s/);
    expect(lines.at(-1)).toBe('2 of 2 online');
  });

  it('prints one JSON object per agent with --json', async () => {
    const r = await runPulse(bin, ['agents', '--json'], { env });
    expect(r.exitCode).toBe(0);
    const agents = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { name: string; active: boolean; labels: Record<string, string> });
    expect(agents.map((a) => [a.name, a.active, a.labels.region])).toEqual([
      ['ams-1', true, 'eu'],
      ['nyc-1', true, 'us'],
    ]);
  });
});

describe('tests', () => {
  it('pulse tcp prints an aligned table, one row per agent, and exits 0', async () => {
    const r = await runPulse(bin, ['tcp', `127.0.0.1:${tcp.port}`], { env });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^AGENT {2}STATUS +TIME {2}NOTE$/);
    expect(lines[1]).toMatch(/^ams-1 {2}ok +\d+(\.\d+)? m?s$/);
    expect(lines[2]).toMatch(/^nyc-1 {2}ok +\d+(\.\d+)? m?s$/);
    // Aligned: the TIME column ends in the same place on every line.
    expect(new Set(lines.slice(0, 3).map((l) => l.indexOf('TIME') >= 0 ? l.indexOf('TIME') + 4 : l.length)).size).toBe(1);
    expect(lines[3]).toBe('2 ok, 0 failed, 0 timed out, 0 offline');
    expect(lines[4]).toMatch(/^id: [A-Za-z0-9_-]{16,}/);
    // Piped: no progress line, no cursor movement, no colour.
    expect(r.stdout).not.toContain('\x1b');
    expect(r.stdout).not.toContain('so far');
  });

  it('--agents narrows the agents by label', async () => {
    const r = await runPulse(bin, ['--agents', 'region=eu', 'tcp', `127.0.0.1:${tcp.port}`, '--json'], { env });
    expect(r.exitCode).toBe(0);
    expect(ndjson(r.stdout).map((row) => [row.agent, row.status])).toEqual([['ams-1', 'ok']]);
    const byName = await runPulse(bin, ['-a', 'name=nyc-1', '--json', 'tcp', `127.0.0.1:${tcp.port}`], { env });
    expect(ndjson(byName.stdout).map((row) => row.agent)).toEqual(['nyc-1']);
  });

  it('--json streams one Row per agent and exits 1 when the probe fails', async () => {
    const port = await closedPort();
    const r = await runPulse(bin, ['--json', 'tcp', `127.0.0.1:${port}`], { env });
    expect(r.exitCode).toBe(1);
    const rows = ndjson(r.stdout);
    expect(rows.map((row) => row.agent).sort()).toEqual(['ams-1', 'nyc-1']);
    for (const row of rows) {
      expect(row.status).toBe('failed');
      expect(row.reason).toContain('connection refused');
      expect(row.result?.type).toBe('tcp');
    }
  });

  it('pulse http sends the Host header and shows status code and time', async () => {
    const web = await httpServer();
    try {
      const r = await runPulse(bin, ['http', `http://127.0.0.1:${web.port}/health`, '--host', 'site.test', '--headers-only'], { env });
      expect(r.stderr).toBe('');
      expect(r.exitCode).toBe(0);
      const lines = r.stdout.trimEnd().split('\n');
      expect(lines[0]).toMatch(/^AGENT {2}STATUS {2}CODE +TIME {2}TLS {2}NOTE$/);
      expect(lines[1]).toMatch(/^ams-1 {2}ok +200 +\d/);
      expect(lines[2]).toMatch(/^nyc-1 {2}ok +200 +\d/);
      expect(web.requests.map((h) => h.host)).toEqual(['site.test', 'site.test']);
    } finally {
      await web.close();
    }
  });

  it('pulse http -k shows the TLS version of an https site it does not trust', async () => {
    const pki = await createTestPki();
    const cert = await pki.issue('site.pulse.test', { hosts: ['127.0.0.1'] });
    const server = createHttpsServer({ key: cert.key, cert: cert.cert }, (_req, res) => res.end('hi'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      const refused = await runPulse(bin, ['-a', 'name=ams-1', 'http', url], { env });
      expect(refused.exitCode).toBe(1);
      expect(refused.stdout).toMatch(/^ams-1 {2}failed .*TLS handshake/m);
      const r = await runPulse(bin, ['-a', 'name=ams-1', 'http', '-k', url], { env });
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toMatch(/^ams-1 {2}ok +200 +\S+ m?s {2}TLS 1\.3$/m);
    } finally {
      server.closeAllConnections();
      server.close();
      await pki.cleanup();
    }
  });

  it('pulse mtr -4 traces with the real mtr and shows hops, loss and RTT', async () => {
    const r = await runPulse(bin, ['-a', 'name=ams-1', 'mtr', '-4', '--packets', '1', '127.0.0.1'], { env });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^AGENT {2}STATUS {2}HOPS {2}LOSS +RTT {2}AS PATH {2}NOTE$/);
    expect(lines[1]).toMatch(/^ams-1 {2}ok +1 +0% +\S+ m?s$/);
    const both = await runPulse(bin, ['mtr', '-4', '-6', '127.0.0.1'], { env });
    expect(both.exitCode).toBe(2);
    expect(both.stderr).toContain('-4 and -6 exclude each other');
  });

  it('pulse ping runs the real ping on every agent', async () => {
    const r = await runPulse(bin, ['ping', '127.0.0.1', '--packets', '2', '--json'], { env });
    expect(r.exitCode).toBe(0);
    const rows = ndjson(r.stdout);
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row.status).toBe('ok');
      expect(row.result?.metrics.probe_icmp_packets_sent).toBe(2);
    }
  });

  it('pulse dns asks the given resolver and shows the answers', async () => {
    const dns = await dnsServer({ localhost: ['127.0.0.1'], 'www.pulse.test': ['192.0.2.10', '192.0.2.11'] });
    try {
      const r = await runPulse(bin, ['dns', 'www.pulse.test', '--resolver', `127.0.0.1:${dns.port}`], { env });
      expect(r.stderr).toBe('');
      expect(r.exitCode).toBe(0);
      const lines = r.stdout.trimEnd().split('\n');
      expect(lines[0]).toMatch(/^AGENT {2}STATUS +TIME {2}ANSWERS/);
      expect(lines[1]).toMatch(/^ams-1 {2}ok +\S+ m?s {2}192\.0\.2\.10, 192\.0\.2\.11$/);
      expect(lines[2]).toMatch(/^nyc-1 {2}ok +\S+ m?s {2}192\.0\.2\.10, 192\.0\.2\.11$/);
      expect(dns.queries).toContain('www.pulse.test A');
      // pulse get names what was asked, not only the resolver.
      const id = /^id: (\S+)/m.exec(r.stdout)?.[1];
      const again = await runPulse(bin, ['get', id!], { env });
      expect(again.stdout).toContain(`dns www.pulse.test A @ 127.0.0.1:${dns.port} · done`);
    } finally {
      await dns.close();
    }
  });

  it('pulse dns with several resolvers shows one row per agent and resolver', async () => {
    const a = await dnsServer({ localhost: ['127.0.0.1'] });
    const b = await dnsServer({});
    try {
      const r = await runPulse(bin, ['dns', 'localhost', '-r', `127.0.0.1:${a.port}`, '-r', `127.0.0.1:${b.port}`], { env });
      const lines = r.stdout.trimEnd().split('\n');
      expect(lines[0]).toMatch(/^AGENT {2}RESOLVER +STATUS/);
      const body = lines.slice(1, 5);
      expect(body.filter((l) => l.includes(`127.0.0.1:${a.port}`) && / ok /.test(l))).toHaveLength(2);
      // NXDOMAIN is not a valid rcode by default (blackbox's valid_rcodes: [NOERROR]).
      expect(body.filter((l) => l.includes(`127.0.0.1:${b.port}`) && / failed /.test(l))).toHaveLength(2);
      expect(r.exitCode).toBe(1);
      expect(lines).toContain('2 ok, 2 failed, 0 timed out, 0 offline');
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('errors', () => {
  it("shows the hub's words for a bad target and exits 2", async () => {
    const r = await runPulse(bin, ['tcp', 'not a host'], { env });
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^pulse: the hub refused the request: target "not a host": .*\(PULSE_BAD_TARGET\)$/m);
  });

  it('says when the hub cannot be reached and exits 2', async () => {
    const port = await closedPort();
    const r = await runPulse(bin, ['--hub', `http://127.0.0.1:${port}`, 'agents']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`cannot reach the hub at http://127.0.0.1:${port}: connection refused`);
  });
});

describe('pulse get', () => {
  it('shows a finished measurement again by id', async () => {
    const run = await runPulse(bin, ['tcp', `127.0.0.1:${tcp.port}`], { env });
    const id = /^id: (\S+)/m.exec(run.stdout)?.[1];
    expect(id).toBeDefined();
    const r = await runPulse(bin, ['get', id!, '--wait'], { env });
    expect(r.exitCode).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^AGENT {2}STATUS +TIME {2}NOTE$/);
    expect(lines.slice(1, 3).map((l) => l.split(/\s+/).slice(0, 2).join(' '))).toEqual(['ams-1 ok', 'nyc-1 ok']);
    expect(r.stdout).toContain(`tcp 127.0.0.1:${tcp.port} · done`);
    const json = await runPulse(bin, ['get', id!, '--json'], { env });
    expect(ndjson(json.stdout).map((row) => row.status)).toEqual(['ok', 'ok']);
  });

  it('exits 2 with the hub message for an unknown id', async () => {
    const r = await runPulse(bin, ['get', 'AAAAAAAAAAAAAAAAAAAAAA'], { env });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('PULSE_NOT_FOUND');
  });
});

describe('commands from standard input', () => {
  it('runs one command per line with the global options, worst exit status wins', async () => {
    const port = await closedPort();
    const input = ['# a comment, then a blank line', '', `tcp 127.0.0.1:${tcp.port}`, `tcp "127.0.0.1:${port}"`, ''].join('\n');
    const r = await runPulse(bin, ['--agents', 'region=us', '-'], { env, input });
    expect(r.exitCode).toBe(1);
    const blocks = r.stdout.split(/\n(?=# )/);
    expect(blocks).toHaveLength(2);
    expect(blocks[0]).toMatch(new RegExp(`^# tcp 127.0.0.1:${tcp.port}\\nAGENT +STATUS +TIME +NOTE\\nnyc-1 +ok `));
    expect(blocks[1]).toMatch(/^# tcp "127\.0\.0\.1:\d+"\nAGENT +STATUS +TIME +NOTE\nnyc-1 +failed .*connection refused/);
  });

  it('keeps going after a bad line and exits 2', async () => {
    const r = await runPulse(bin, ['--json', '-'], { env, input: `frobnicate\ntcp 127.0.0.1:${tcp.port}\n` });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("unknown command 'frobnicate'");
    expect(ndjson(r.stdout).map((row) => row.status)).toEqual(['ok', 'ok']);
  });
});

describe('on a terminal', () => {
  it('draws a progress line and redraws the table in place', async () => {
    // script(1) gives the binary a pseudo-terminal, as an operator's shell would.
    const cmd = ['node', bin, 'tcp', `127.0.0.1:${tcp.port}`].map((a) => `'${a}'`).join(' ');
    const r = await execa('script', ['-qec', `stty rows 40 cols 120; ${cmd}`, '/dev/null'], { reject: false, env: { ...env, TERM: 'xterm' }, timeout: 60_000 });
    expect(r.exitCode).toBe(0);
    const out = String(r.stdout);
    expect(out).toMatch(/… \d+ answers? so far · [\d.]+s \(timeout 10s\)/);
    // While agents answer, the table is drawn above the progress line.
    expect(out).toMatch(/AGENT {2}STATUS +TIME {2}NOTE\r?\n(ams-1|nyc-1) [^\n]*\r?\n… 1 answer so far/);
    expect(out).toContain('\x1b[');
    expect(out).toMatch(/\x1b\[32mok/);
    // The last frame has both agents and no progress line after the summary.
    const tail = out.slice(out.lastIndexOf('AGENT'));
    expect(tail).toMatch(/ams-1/);
    expect(tail).toMatch(/nyc-1/);
    expect(tail).toContain('2 ok, 0 failed, 0 timed out, 0 offline');
    expect(tail).not.toContain('so far');
  });
});

describe('offline agents', () => {
  it('shows a stopped agent as offline and exits 1', async () => {
    await fleet.exporters.find((e) => e.name === 'nyc-1')!.kill();
    // Wait for the hub to notice, by what pulse agents shows, not by sleeping a fixed time.
    const until = Date.now() + 30_000;
    for (;;) {
      const a = await runPulse(bin, ['agents', '--json'], { env });
      const nyc = a.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { name: string; active: boolean })
        .find((x) => x.name === 'nyc-1');
      if (nyc && !nyc.active) break;
      if (Date.now() > until) throw new Error('nyc-1 never went offline');
    }
    const r = await runPulse(bin, ['tcp', `127.0.0.1:${tcp.port}`], { env });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/^nyc-1 {2}offline /m);
    expect(r.stdout).toMatch(/^ams-1 {2}ok /m);
    expect(r.stdout).toContain('1 ok, 0 failed, 0 timed out, 1 offline');
  });
});
