import { readFile } from 'node:fs/promises';
import { execa } from 'execa';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mergePaths } from '../../client/paths.js';
import { buildNetnsPath, type NetnsPath, netnsSkipReason, nftSkipReason } from '../helpers/netns.js';
import { type NsAgent, startNsAgent } from '../helpers/ns-agent.js';
import { labRun, MAJORITY_ADDRS, ODD_ADDR, type OutcomeLab, SLOW_MS, startOutcomeLab } from '../helpers/outcome-lab.js';
import { artifact, launchChromium, ROOT } from './browser.js';

/**
 * The grouped, chart and merged-path views in Debian's chromium, from real measurements: three
 * real agents, a resolver and a web server that answer one of them otherwise, real mtr over a
 * network-namespace path. Screenshots land in test-artifacts/ui/compare-*.png.
 */

let lab: OutcomeLab;
let browser: Browser;
let page: Page;
const external: string[] = [];

beforeAll(async () => {
  await execa('node', [`${ROOT}/scripts/build-ui.mjs`]);
  [lab, browser] = await Promise.all([startOutcomeLab(), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await lab?.close();
});

beforeEach(async () => {
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('request', (req) => {
    // blob: is the page's own download, made in the browser.
    if (!req.url().startsWith(lab.fleet.hubUrl) && !/^(data|blob):/.test(req.url())) external.push(req.url());
  });
});

afterEach(async () => {
  await page.close();
  expect(external).toEqual([]);
});

async function run(kind: string, fields: Record<string, string>): Promise<void> {
  lab.reset();
  await page.goto(`${lab.fleet.hubUrl}/`);
  await page.locator('.kinds label', { hasText: kind }).click();
  for (const [id, v] of Object.entries(fields)) await page.fill(`#f-${id}`, v);
  await page.click('button.run');
  await page.locator('.results .summary').waitFor({ timeout: 30_000 });
}

const groupsOf = (p: Page) =>
  p.locator('.groups li.group').evaluateAll((lis) =>
    lis.map((li) => [li.getAttribute('data-count'), li.getAttribute('data-mark'), li.querySelector('.outcome')?.textContent ?? '']),
  );

/** The groups of a DNS run where one agent got the odd answer and `n` the usual one. */
const oneOdd = (n: number) => [
  [String(n), 'majority', `NOERROR: ${MAJORITY_ADDRS.join(', ')}`],
  ['1', 'outlier', `NOERROR: ${ODD_ADDR}`],
];

describe('grouped answers', () => {
  it('puts the agent that got another DNS answer apart, and can show only its row', async () => {
    await run('DNS', { name: lab.name, resolver: lab.splitDns.target });
    await expect(groupsOf(page)).resolves.toEqual(oneOdd(2));
    await expect(page.locator('.groups h3').textContent()).resolves.toBe('2 different outcomes across 3 rows');
    await page.screenshot({ path: artifact('compare-dns-groups.png'), fullPage: true });
    const odd = page.locator('.groups li.group.outlier');
    const oddAgent = (await odd.locator('.members').textContent())!;
    await odd.locator('button.show').click();
    await expect(page.locator('.results tr.row').evaluateAll((trs) => trs.map((t) => t.getAttribute('data-agent')))).resolves.toEqual([oddAgent]);
    await page.locator('.groups li.group.outlier button.show').click();
    await expect(page.locator('.results tr.row').count()).resolves.toBe(3);
  });

  it('compares two resolvers, follows the run in the address, and opens it again from there', async () => {
    await run('DNS', { name: lab.name, resolver: `${lab.dnsA.target} ${lab.dnsB.target}` });
    await expect(page.locator('.results tr.row').count()).resolves.toBe(6);
    await expect(groupsOf(page)).resolves.toEqual([
      ['3', 'none', `NOERROR: ${MAJORITY_ADDRS.join(', ')}`],
      ['3', 'none', `NOERROR: ${ODD_ADDR}`],
    ]);
    const hash = await page.evaluate(() => location.hash);
    expect(hash).toMatch(/^#\/m\/[A-Za-z0-9_-]+,[A-Za-z0-9_-]+$/);
    await expect(page.locator('.results a.permalink').getAttribute('href')).resolves.toBe(hash);
    await page.reload();
    await page.locator('.results .summary').waitFor({ timeout: 30_000 });
    await expect(page.locator('.results tr.row').count()).resolves.toBe(6);
    await expect(page.locator('.results h2').textContent()).resolves.toBe(`DNS ${lab.name} A`);
    await expect(page.locator('.results .summary').textContent()).resolves.toContain('6 ok');
  });
});

describe('comparison charts', () => {
  it('draws HTTP phases per agent on one axis, the slow agent first', async () => {
    await run('HTTP', { url: `${lab.splitWeb.origin}/` });
    await page.locator('#tab-chart').click();
    const rows = page.locator('.timing-chart .chart-row:not(.axis)');
    await expect(rows.count()).resolves.toBe(3);
    // The slowest on top: the agent whose request waited, and failed with a 503.
    await expect(rows.first().getAttribute('class')).resolves.toContain('failed');
    const values = await rows.evaluateAll((els) => els.map((e) => e.querySelector('.value')?.textContent ?? ''));
    const ms = values.map((v) => (v.endsWith(' ms') ? Number(v.slice(0, -3)) : Number(v.slice(0, -2)) * 1000));
    expect(ms[0]).toBeGreaterThanOrEqual(SLOW_MS);
    expect(ms[0]).toBeGreaterThan(ms[1]!);
    expect(ms[1]).toBeGreaterThanOrEqual(ms[2]!);
    // Stacked phases, and a legend naming them.
    await expect(rows.first().locator('rect.seg.processing').count()).resolves.toBe(1);
    await expect(page.locator('.timing-chart .legend').textContent()).resolves.toContain('waiting');
    await expect(page.locator('.groups li.group.outlier .outcome').textContent()).resolves.toMatch(/^503\b/);
    await page.screenshot({ path: artifact('compare-http-chart.png'), fullPage: true });
  });

  it('draws DNS and TCP times per agent', async () => {
    await run('DNS', { name: lab.name, resolver: lab.splitDns.target });
    await page.locator('#tab-chart').click();
    await expect(page.locator('.timing-chart figcaption').textContent()).resolves.toMatch(/^DNS lookup time by phase/);
    await expect(page.locator('.timing-chart .chart-row:not(.axis) rect.seg.request').count()).resolves.toBe(3);
    await run('TCP', { target: `${lab.splitWeb.host}:${lab.splitWeb.port}` });
    await page.locator('#tab-chart').click();
    await expect(page.locator('.timing-chart figcaption').textContent()).resolves.toMatch(/^Connect time/);
    await expect(page.locator('.timing-chart .chart-row:not(.axis) .value').allTextContents()).resolves.toEqual(expect.arrayContaining([expect.stringMatching(/ms$/)]));
    await page.screenshot({ path: artifact('compare-tcp-chart.png'), fullPage: true });
  });

  it('draws ping min/avg/max with loss', async () => {
    await run('Ping', { target: '127.0.0.1', packets: '3' });
    await page.locator('#tab-chart').click();
    const rows = page.locator('.rtt-chart .chart-row:not(.axis)');
    await expect(rows.count()).resolves.toBe(3);
    await expect(rows.locator('rect.range').count()).resolves.toBe(3);
    await expect(rows.first().getAttribute('aria-label')).resolves.toMatch(/: min .* avg .* max .*, 0% loss$/);
    await page.screenshot({ path: artifact('compare-ping-chart.png'), fullPage: true });
  });
});

describe('keyboard and phone', () => {
  it('moves between the views with the keyboard', async () => {
    await run('DNS', { name: lab.name, resolver: lab.splitDns.target });
    await page.locator('#tab-table').focus();
    await page.keyboard.press('ArrowRight');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('tab-chart');
    await expect(page.locator('#panel-chart').isVisible()).resolves.toBe(true);
    await expect(page.locator('#panel-table').isVisible()).resolves.toBe(false);
    await page.keyboard.press('Home');
    await expect(page.locator('#tab-table').getAttribute('aria-selected')).resolves.toBe('true');
    // Tab leaves the tab list for the panel, then reaches the rows; Enter opens one.
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('panel-table');
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.getAttribute('data-agent'))).resolves.toBe('ams-1');
    await page.keyboard.press('Enter');
    await expect(page.locator('.detail-row').count()).resolves.toBe(1);
    // A group's button is reachable and works from the keyboard too.
    await page.locator('.groups li.group.outlier button.show').focus();
    await page.keyboard.press('Enter');
    await expect(page.locator('.results tr.row').count()).resolves.toBe(1);
  });

  it('fits a phone screen with groups and charts', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await run('HTTP', { url: `${lab.splitWeb.origin}/` });
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    await expect(overflow()).resolves.toBeLessThanOrEqual(0);
    await page.screenshot({ path: artifact('compare-phone-groups.png'), fullPage: true });
    await page.locator('#tab-chart').click();
    await expect(overflow()).resolves.toBeLessThanOrEqual(0);
    await page.screenshot({ path: artifact('compare-phone-chart.png'), fullPage: true });
  });
});

describe('downloads', () => {
  it('offers the rows as CSV and JSON', async () => {
    await run('DNS', { name: lab.name, resolver: lab.splitDns.target });
    const [csv] = await Promise.all([page.waitForEvent('download'), page.locator('a.download.csv').click()]);
    expect(csv.suggestedFilename()).toMatch(/^pulse-dns-[A-Za-z0-9_-]+\.csv$/);
    const text = await readFile((await csv.path())!, 'utf8');
    const lines = text.trim().split('\r\n');
    expect(lines[0]).toBe('agent,target,status,time,answers,outcome,note');
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(lab.agents);
    expect(text).toContain(`"NOERROR: ${MAJORITY_ADDRS.join(', ')}"`);
    const [json] = await Promise.all([page.waitForEvent('download'), page.locator('a.download.json').click()]);
    const body = JSON.parse(await readFile((await json.path())!, 'utf8')) as { type: string; ids: string[]; rows: { agent: string }[] };
    expect(body.type).toBe('dns');
    expect(body.ids).toHaveLength(1);
    expect(body.rows.map((r) => r.agent).sort()).toEqual(lab.agents);
  });
});

const skip = netnsSkipReason() ?? nftSkipReason();
if (skip) console.warn(`skipping the merged-path view over network namespaces: ${skip}`);

describe.skipIf(skip !== undefined)('merged paths over a real three-hop path', () => {
  let path: NetnsPath;

  beforeAll(async () => {
    path = await buildNetnsPath(2);
    // Every other time-exceeded from the second router is dropped: loss on that hop's edge. The
    // counter is shared by the three agents' concurrent mtr runs, so with 2 probes one agent
    // sometimes lost both and that hop entirely; with 4, each keeps some.
    await path.dropTimeExceeded(2, 2);
  });
  afterAll(async () => {
    await path?.teardown();
  });

  it('draws the three agents\' paths as one, loss on the edge into the lossy hop', async () => {
    const rows = await labRun(lab, { type: 'mtr', target: path.far, options: { packets: 4, interval: '250ms' } });
    expect(rows.map((r) => r.status)).toEqual(['ok', 'ok', 'ok']);
    const merged = mergePaths(rows);
    expect(merged.nodes.filter((n) => n.kind === 'hop').map((n) => [n.label, n.agents.length])).toEqual(path.hops.map((ip) => [ip, 3]));
    expect(merged.edges.find((e) => e.to === `hop:${path.hops[1]}`)?.loss).toBeGreaterThan(0);
    // With ASNs on the hops (the hub's enrichment, issue 15), the edge into the second network is a boundary.
    const asnRows = rows.map((r) => ({
      ...r,
      result: { ...r.result!, details: { ...r.result!.details, hops: (r.result!.details.hops as object[]).map((h, i) => ({ ...h, asn: i === 0 ? 64500 : 64501 })) } },
    }));
    const withAsn = mergePaths(asnRows);
    expect(withAsn.edges.filter((e) => e.asBoundary).map((e) => [e.from, e.to])).toEqual([[`hop:${path.hops[0]}`, `hop:${path.hops[1]}`]]);
    expect(withAsn.nodes.find((n) => n.label === path.hops[2])?.asn).toEqual({ number: 64501 });

    await run('mtr', { target: path.far, packets: '4' });
    await page.locator('#tab-paths').click();
    const svg = page.locator('svg.paths-svg');
    await expect(svg.locator('g.node.agent').count()).resolves.toBe(3);
    await expect(svg.locator('g.node.hop').evaluateAll((gs) => gs.map((g) => [g.querySelector('text.main')?.textContent, g.getAttribute('data-agents')]))).resolves.toEqual(
      path.hops.map((ip) => [ip, '3']),
    );
    // Shared hops merge: one edge between consecutive routers, carrying all three agents.
    await expect(svg.locator(`g.edge[data-to="hop:${path.hops[2]}"]`).getAttribute('data-agents')).resolves.toBe('3');
    await expect(svg.locator(`g.edge[data-to="hop:${path.hops[1]}"]`).getAttribute('class')).resolves.toMatch(/\b(some|heavy)\b/);
    await expect(page.locator('.paths figcaption').textContent()).resolves.toBe('Merged paths: 3 agents, 3 hops deep; 3 hops shared');
    await page.screenshot({ path: artifact('compare-mtr-paths.png'), fullPage: true });
    await page.locator('#tab-chart').click();
    await expect(page.locator('.rtt-chart .chart-row:not(.axis)').count()).resolves.toBe(3);
    await page.setViewportSize({ width: 390, height: 844 });
    await page.locator('#tab-paths').click();
    await expect(page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).resolves.toBeLessThanOrEqual(0);
    await page.screenshot({ path: artifact('compare-phone-paths.png'), fullPage: true });
  });
});

describe.skipIf(netnsSkipReason() !== undefined)('an agent behind a network of its own', () => {
  let sin: NsAgent;

  beforeAll(async () => {
    // Same target addresses as everyone, other answers: its 127.0.0.1 is its namespace's own.
    sin = await startNsAgent(lab.fleet, {
      name: 'sin-1',
      labels: { region: 'ap' },
      services: {
        dns: { port: lab.dnsA.port, name: lab.name, addrs: [ODD_ADDR] },
        // Well above what a busy machine adds to the other agents' requests.
        http: { port: lab.web.port, delayMs: 2 * SLOW_MS, status: 200 },
      },
    });
  }, 60_000);
  afterAll(async () => {
    await sin?.teardown();
  });

  it('marks the agent whose resolver answers otherwise, and the one whose web server is slow', async () => {
    await run('DNS', { name: lab.name, resolver: lab.dnsA.target });
    await expect(groupsOf(page)).resolves.toEqual(oneOdd(3));
    await expect(page.locator('.groups li.group.outlier .members').textContent()).resolves.toBe('sin-1');
    await page.screenshot({ path: artifact('compare-netns-dns.png'), fullPage: true });

    await run('HTTP', { url: `${lab.web.origin}/` });
    // Everyone got a 200: one group. The chart shows who was slow.
    await expect(groupsOf(page)).resolves.toEqual([['4', 'majority', '200']]);
    await page.locator('#tab-chart').click();
    const rows = page.locator('.timing-chart .chart-row:not(.axis)');
    await expect(rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-who')))).resolves.toEqual(expect.arrayContaining(['sin-1']));
    await expect(rows.first().getAttribute('data-who')).resolves.toBe('sin-1');
    await expect(rows.first().locator('rect.seg.processing title').textContent()).resolves.toMatch(/^waiting: \d+ ms$/);
    await page.screenshot({ path: artifact('compare-netns-http.png'), fullPage: true });
  });
});
