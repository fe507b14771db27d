import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupRows, outcomeOf, wantGroups } from '../../client/group.js';
import { annotate } from '../../hub/asn/enrich.js';
import { niceTicks, rttRanges, timingBars } from '../../client/compare.js';
import { rowsCsv } from '../../client/export.js';
import { mergePaths } from '../../client/paths.js';
import type { Io } from '../../cli/context.js';
import { runArgv } from '../../cli/program.js';
import { closedPort, tcpServer, type Closable } from '../cli/helpers/servers.js';
import { labRun, MAJORITY_ADDRS, ODD_ADDR, type OutcomeLab, SLOW_MS, startOutcomeLab } from '../helpers/outcome-lab.js';

/** Grouping on rows of real measurements: three real agents, targets that answer one of them otherwise. */

let lab: OutcomeLab;
let open: Closable;

beforeAll(async () => {
  [lab, open] = await Promise.all([startOutcomeLab(), tcpServer()]);
});

afterAll(async () => {
  await open?.close();
  await lab?.close();
});

const fp = (pem: string) => new X509Certificate(pem).fingerprint256.replace(/:/g, '').toLowerCase().slice(0, 12);

describe('grouping real answers', () => {
  it('puts the agent that got another DNS answer apart from the majority', async () => {
    const rows = await labRun(lab, { type: 'dns', target: lab.splitDns.target, options: { query_name: lab.name, query_type: 'A' } });
    expect(rows.map((r) => r.status)).toEqual(['ok', 'ok', 'ok']);
    const groups = groupRows('dns', rows);
    expect(groups.map((g) => [g.label, g.count, g.majority, g.outlier])).toEqual([
      [`NOERROR: ${MAJORITY_ADDRS.join(', ')}`, 2, true, false],
      [`NOERROR: ${ODD_ADDR}`, 1, false, true],
    ]);
    expect(groups.flatMap((g) => g.members).sort()).toEqual(lab.agents);
    expect(groups[0]!.share).toBeCloseTo(2 / 3);
  });

  it('groups two resolvers that disagree, naming agent and resolver', async () => {
    const [a, b] = await Promise.all([
      labRun(lab, { type: 'dns', target: lab.dnsA.target, options: { query_name: lab.name, query_type: 'A' } }),
      labRun(lab, { type: 'dns', target: lab.dnsB.target, options: { query_name: lab.name, query_type: 'A' } }),
    ]);
    const groups = groupRows('dns', [...a, ...b]);
    expect(groups).toHaveLength(2);
    // Three and three: no majority, so nobody is marked the odd one out.
    expect(groups.map((g) => [g.count, g.majority, g.outlier])).toEqual([
      [3, false, false],
      [3, false, false],
    ]);
    const odd = groups.find((g) => g.label.includes(ODD_ADDR))!;
    expect(odd.members).toEqual(lab.agents.map((n) => `${n} → ${lab.dnsB.target}`));
  });

  it('keys a name that does not exist by its rcode', async () => {
    const rows = await labRun(lab, { type: 'dns', target: lab.dnsA.target, options: { query_name: 'nowhere.pulse.test', query_type: 'A' } });
    const groups = groupRows('dns', rows);
    expect(groups).toHaveLength(1);
    expect(groups[0]!.label).toMatch(/^NXDOMAIN, no answer/);
    expect(groups[0]!.count).toBe(3);
    expect(groups[0]!.majority).toBe(true);
  });

  it('sets the slow agent that got a 503 apart', async () => {
    const rows = await labRun(lab, { type: 'http', target: `${lab.splitWeb.origin}/`, options: {} });
    const groups = groupRows('http', rows);
    expect(groups.map((g) => [g.label.split(' · ')[0], g.status, g.count, g.outlier])).toEqual([
      ['200', 'ok', 2, false],
      ['503', 'failed', 1, true],
    ]);
  });

  it('tells two certificates for the same name apart by fingerprint', async () => {
    const opts = { tls_config: { insecure_skip_verify: true } };
    const [a, b] = await Promise.all([
      labRun(lab, { type: 'http', target: `${lab.siteA.origin}/`, options: opts }),
      labRun(lab, { type: 'http', target: `${lab.siteB.origin}/`, options: opts }),
    ]);
    const groups = groupRows('http', [...a, ...b]);
    expect(groups.map((g) => g.label).sort()).toEqual([`200 · certificate ${fp(lab.certA)}`, `200 · certificate ${fp(lab.certB)}`].sort());
  });

  it('groups TCP by connected or the reason it did not', async () => {
    const port = await closedPort();
    const [up, down] = await Promise.all([
      labRun(lab, { type: 'tcp', target: `127.0.0.1:${open.port}`, options: {} }),
      labRun(lab, { type: 'tcp', target: `127.0.0.1:${port}`, options: {} }),
    ]);
    const groups = groupRows('tcp', [...up, ...down.slice(0, 1)]);
    expect(groups.map((g) => [g.status, g.count, g.majority, g.outlier])).toEqual([
      ['ok', 3, true, false],
      ['failed', 1, false, true],
    ]);
    expect(groups[0]!.label).toBe('connected');
    expect(groups[1]!.label).toMatch(/refused/i);
  });

  it('groups ping by outcome and mtr by path', async () => {
    const [ping, mtr] = await Promise.all([
      labRun(lab, { type: 'icmp', target: '127.0.0.1', options: { packets: 2 } }),
      labRun(lab, { type: 'mtr', target: '127.0.0.1', options: { packets: 1 } }),
    ]);
    expect(groupRows('icmp', ping).map((g) => [g.label, g.count])).toEqual([['all answered', 3]]);
    const paths = groupRows('mtr', mtr);
    expect(paths.map((g) => [g.label, g.count])).toEqual([['1 hop: 127.0.0.1', 3]]);
    // The same hops of three agents are one node each, with all three on it.
    const merged = mergePaths(mtr);
    expect(merged.nodes.filter((n) => n.kind === 'hop').map((n) => [n.label, n.agents.length, n.last])).toEqual([['127.0.0.1', 3, true]]);
    expect(merged.edges.map((e) => e.agents.length)).toEqual([1, 1, 1]);
    expect(merged.depth).toBe(1);
    // A large fleet: agents with the same path share one top node (threshold lowered to fold three).
    const folded = mergePaths(mtr, { foldAgentsAbove: 2 });
    expect(folded.nodes.filter((n) => n.kind === 'agent').map((n) => [n.label, n.agents])).toEqual([['ams-1 +2', lab.agents]]);
    expect(folded.edges.map((e) => e.agents)).toEqual([lab.agents]);
  });

});


function io(): Io & { out: () => string } {
  let out = '';
  return {
    stdout: { write: (s: string) => (out += s), isTTY: false },
    stderr: { write: (s: string) => (out += s) },
    env: { PULSE_HUB: lab.fleet.hubUrl },
    readStdin: async () => '',
    out: () => out,
  };
}

describe('pulse --group on the same real answers', () => {
  it('prints the groups under the table, the odd agent marked', async () => {
    lab.reset();
    const o = io();
    const code = await runArgv(['dns', lab.name, '--resolver', lab.splitDns.target, '--group'], o);
    expect(code).toBe(0);
    const lines = o.out().split('\n');
    const at = lines.indexOf('2 outcomes across 3 rows:');
    expect(at).toBeGreaterThan(3);
    expect(lines[at + 1]).toMatch(/^MARK +N +SHARE +OUTCOME +AGENTS$/);
    expect(lines[at + 2]).toMatch(new RegExp(`^majority +2 +67% +NOERROR: ${MAJORITY_ADDRS.join(', ')} +\\S+, \\S+$`));
    expect(lines[at + 3]).toMatch(new RegExp(`^outlier +1 +33% +NOERROR: ${ODD_ADDR} +(ams-1|fra-1|nyc-1)$`));
  });

  it('groups by default above five rows, and not with --no-group', async () => {
    const args = ['dns', lab.name, '--resolver', lab.dnsA.target, '--resolver', lab.dnsB.target];
    const grouped = io();
    await runArgv(args, grouped);
    expect(grouped.out()).toContain('2 outcomes across 6 rows:');
    expect(grouped.out()).toContain(`ams-1 → ${lab.dnsB.target}, fra-1 → ${lab.dnsB.target}, nyc-1 → ${lab.dnsB.target}`);
    const plain = io();
    await runArgv([...args, '--no-group'], plain);
    expect(plain.out()).not.toContain('outcomes across');
    const small = io();
    await runArgv(['tcp', `127.0.0.1:${open.port}`], small);
    expect(small.out()).not.toContain('outcome');
  });

  it('groups a measurement shown again with pulse get', async () => {
    lab.reset();
    const first = io();
    // The output (stdout and stderr) is the message when a run does not exit 0.
    expect(await runArgv(['dns', lab.name, '--resolver', lab.splitDns.target], first), first.out()).toBe(0);
    expect(first.out()).not.toContain('outcomes across');
    const id = /^id: (\S+)/m.exec(first.out())![1]!;
    const again = io();
    expect(await runArgv(['get', id, '--group'], again), again.out()).toBe(0);
    expect(again.out()).toContain('2 outcomes across 3 rows:');
    expect(again.out()).toMatch(new RegExp(`^outlier +1 +33% +NOERROR: ${ODD_ADDR} `, 'm'));
  });

  it('leaves --json output as rows only', async () => {
    const o = io();
    await runArgv(['tcp', `127.0.0.1:${open.port}`, '--json', '--group'], o);
    const lines = o.out().trim().split('\n');
    expect(lines).toHaveLength(3);
    for (const l of lines) expect(JSON.parse(l)).toHaveProperty('agent');
  });
});

describe('charts and exports from the same real rows', () => {
  it('puts the slow agent on top of the HTTP timing bars, phases stacked', async () => {
    const rows = await labRun(lab, { type: 'http', target: `${lab.splitWeb.origin}/`, options: {} });
    const bars = timingBars('http', rows);
    expect(bars.map((b) => b.status)).toEqual(['failed', 'ok', 'ok']);
    expect(bars[0]!.total).toBeGreaterThanOrEqual(SLOW_MS / 1000);
    expect(bars[0]!.total).toBeGreaterThan(bars[1]!.total!);
    // blackbox's five phases, in order, even those that took no time (no TLS here).
    expect(bars[0]!.segments.map((x) => x.part)).toEqual(['resolve', 'connect', 'tls', 'processing', 'transfer']);
    expect(bars[0]!.segments.find((x) => x.part === 'processing')!.seconds).toBeGreaterThanOrEqual((SLOW_MS / 1000) * 0.9);
    const sum = bars[0]!.segments.reduce((a, x) => a + x.seconds, 0);
    expect(bars[0]!.total).toBeCloseTo(sum, 9);
    const ticks = niceTicks(bars[0]!.total!);
    expect(ticks[0]).toBe(0);
    expect(ticks.at(-1)).toBeGreaterThanOrEqual(bars[0]!.total!);
  });

  it('reads ping min/avg/max and loss per agent', async () => {
    const rows = await labRun(lab, { type: 'icmp', target: '127.0.0.1', options: { packets: 2 } });
    const ranges = rttRanges('icmp', rows);
    expect(ranges.map((r) => r.who).sort()).toEqual(lab.agents);
    for (const r of ranges) {
      expect(r.loss).toBe(0);
      expect(r.min).toBeLessThanOrEqual(r.avg!);
      expect(r.avg).toBeLessThanOrEqual(r.max!);
    }
  });

  it('writes CSV with the outcome column, quoting what needs it', async () => {
    const rows = await labRun(lab, { type: 'dns', target: lab.splitDns.target, options: { query_name: lab.name, query_type: 'A' } });
    const lines = rowsCsv('dns', rows).trimEnd().split('\r\n');
    expect(lines[0]).toBe('agent,target,status,time,answers,outcome,note');
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(lab.agents);
    expect(lines.filter((l) => l.includes(`"NOERROR: ${MAJORITY_ADDRS.join(', ')}"`))).toHaveLength(2);
    // A value a spreadsheet would run as a formula is defused.
    const evil = { ...rows[0]!, agent: '=HYPERLINK("x")' };
    expect(rowsCsv('dns', [evil]).split('\r\n')[1]!.startsWith(`"'=HYPERLINK(""x"")"`)).toBe(true);
  });

  it('splits a group by the ASN of the connected address when the hub adds it', async () => {
    const rows = await labRun(lab, { type: 'tcp', target: `127.0.0.1:${open.port}`, options: {} });
    // Marked as the hub marks them (hub/asn/enrich.ts): the first agent's view of the address in one AS, the others' in another.
    const nets = (i: number) => new Map([['127.0.0.1', i === 0 ? { asn: 'AS64500', as_name: '' } : { asn: 'AS64501', as_name: 'Example Net' }]]);
    const withAsn = rows.map((r, i) => ({ ...r, result: { ...r.result!, details: annotate(r.result!.details, nets(i)) } }));
    const groups = groupRows('tcp', withAsn);
    expect(groups.map((g) => [g.label, g.count])).toEqual([
      ['connected · AS64501 Example Net', 2],
      ['connected · AS64500', 1],
    ]);
  });
});

describe('an agent gone', () => {
  it('keeps an agent that stopped answering as its own group', async () => {
    const gone = lab.fleet.exporters.find((e) => e.name === 'nyc-1')!;
    await gone.kill();
    const rows = await labRun(lab, { type: 'tcp', target: `127.0.0.1:${open.port}`, options: {}, timeout: 3 });
    const groups = groupRows('tcp', rows);
    expect(groups).toHaveLength(2);
    expect(groups[0]!.members).toEqual(['ams-1', 'fra-1']);
    expect(groups[1]!.members).toEqual(['nyc-1']);
    expect(groups[1]!.status).not.toBe('ok');
    expect(groups[1]!.outlier).toBe(true);
    expect(outcomeOf('tcp', groups[1]!.rows[0]!).key.startsWith(groups[1]!.status)).toBe(true);
  });
});

describe('when the CLI groups', () => {
  it('groups above five rows unless told otherwise', () => {
    expect(wantGroups(undefined, 5)).toBe(false);
    expect(wantGroups(undefined, 6)).toBe(true);
    expect(wantGroups(true, 1)).toBe(true);
    expect(wantGroups(false, 50)).toBe(false);
  });
});
