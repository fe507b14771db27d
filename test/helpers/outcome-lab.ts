import type { Row } from '../../client/api.js';
import { type DnsTestServer, startDnsServer } from './dns-server.js';
import { type Fleet, startFleet } from './fleet.js';
import { startServer, type TestServer } from './http-servers.js';
import { createTestPki, type TestPki } from './tls.js';

/**
 * A fleet of three real agents on loopback and real targets that answer one of them otherwise,
 * so the grouped and comparison views are built from real prober output:
 *
 * - `splitDns`: the first query of each run gets another address (one agent sees a different answer);
 * - `dnsA`/`dnsB`: two resolvers that disagree about the same name;
 * - `splitWeb`: the first request of each run waits and answers 503 (one slow, failing agent);
 * - `siteA`/`siteB`: two HTTPS servers with different certificates for the same name.
 */
export interface OutcomeLab {
  fleet: Fleet;
  agents: string[];
  name: string;
  splitDns: DnsTestServer;
  dnsA: DnsTestServer;
  dnsB: DnsTestServer;
  splitWeb: TestServer;
  /** Answers 200 at once, every time. */
  web: TestServer;
  siteA: TestServer;
  siteB: TestServer;
  certA: string;
  certB: string;
  /** Starts a new run: the next query / request is again the odd one. */
  reset(): void;
  close(): Promise<void>;
}

export const LAB_NAME = 'www.pulse.test';
export const MAJORITY_ADDRS = ['192.0.2.10', '192.0.2.11'];
export const ODD_ADDR = '198.51.100.7';
/** How long the odd HTTP answer waits; well above loopback's few milliseconds. */
export const SLOW_MS = 800;

function aRecords(addrs: string[]) {
  return addrs.map((data) => ({ type: 'A' as const, name: LAB_NAME, ttl: 300, class: 'IN' as const, data }));
}

export async function startOutcomeLab(): Promise<OutcomeLab> {
  let dnsSeen = 0;
  let webSeen = 0;
  const pki: TestPki = await createTestPki();
  // One after the other, under two names: the helper keeps each certificate in a file named after it.
  const a = await pki.issue('site-a.pulse.test', { hosts: [LAB_NAME, '127.0.0.1'] });
  const b = await pki.issue('site-b.pulse.test', { hosts: [LAB_NAME, '127.0.0.1'] });
  const hello = (_req: unknown, res: import('node:http').ServerResponse) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('hello\n');
  };
  const [fleet, splitDns, dnsA, dnsB, splitWeb, web, siteA, siteB] = await Promise.all([
    startFleet({
      agents: [
        { name: 'ams-1', labels: { region: 'eu' } },
        { name: 'fra-1', labels: { region: 'eu' } },
        { name: 'nyc-1', labels: { region: 'us' } },
      ],
    }),
    startDnsServer({
      handler: (q) => {
        if (q.name.toLowerCase() !== LAB_NAME) return { rcode: 'NXDOMAIN' };
        dnsSeen += 1;
        return { answers: aRecords(dnsSeen === 1 ? [ODD_ADDR] : MAJORITY_ADDRS) };
      },
    }),
    startDnsServer({ handler: (q) => (q.name.toLowerCase() === LAB_NAME ? { answers: aRecords(MAJORITY_ADDRS) } : { rcode: 'NXDOMAIN' }) }),
    startDnsServer({ handler: (q) => (q.name.toLowerCase() === LAB_NAME ? { answers: aRecords([ODD_ADDR]) } : { rcode: 'NXDOMAIN' }) }),
    startServer((_req, res) => {
      webSeen += 1;
      if (webSeen === 1) {
        setTimeout(() => {
          res.writeHead(503, { 'content-type': 'text/plain' });
          res.end('busy\n');
        }, SLOW_MS);
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('hello\n');
    }),
    startServer(hello),
    startServer(hello, { tls: { cert: a.cert, key: a.key } }),
    startServer(hello, { tls: { cert: b.cert, key: b.key } }),
  ]);
  return {
    fleet,
    agents: ['ams-1', 'fra-1', 'nyc-1'],
    name: LAB_NAME,
    splitDns,
    dnsA,
    dnsB,
    splitWeb,
    web,
    siteA,
    siteB,
    certA: a.cert,
    certB: b.cert,
    reset() {
      dnsSeen = 0;
      webSeen = 0;
    },
    async close() {
      await Promise.all([fleet.close(), splitDns.close(), dnsA.close(), dnsB.close(), splitWeb.close(), web.close(), siteA.close(), siteB.close()]);
      await pki.cleanup();
    },
  };
}

/** Runs one measurement on the lab's hub and returns its rows (the hub's JSON answer). */
export async function labRun(lab: OutcomeLab, body: Record<string, unknown>): Promise<Row[]> {
  lab.reset();
  const res = await fetch(`${lab.fleet.hubUrl}/api/v1/measurements`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ agents: {}, ...body }),
  });
  if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { rows: Row[] }).rows;
}
