import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { execa } from 'execa';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fleet, startFleet } from '../helpers/fleet.js';
import { startServer, type TestServer } from '../helpers/http-servers.js';
import { artifact, launchChromium, ROOT } from './browser.js';

/**
 * The page's History view (#/history) in a real browser, on a hub with two real exporters: the
 * row list, and the charts of one test over time from runs whose target changes between them.
 */

let fleet: Fleet;
let browser: Browser;
let target: Server;
let addr: string;
const ids: string[] = [];

beforeAll(async () => {
  await execa('node', [`${ROOT}/scripts/build-ui.mjs`]);
  target = createServer((s) => s.end());
  await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
  addr = `127.0.0.1:${(target.address() as AddressInfo).port}`;
  [fleet, browser] = await Promise.all([startFleet({ agents: ['ams-1', 'nyc-1'] }), launchChromium()]);
  for (let i = 0; i < 2; i++) ids.push(await measure('tcp', addr));
}, 90_000);

/** Runs one test to the end on the fleet's hub; its measurement id. */
async function measure(type: string, t: string): Promise<string> {
  const res = await fetch(`${fleet.hubUrl}/api/v1/measurements`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type, target: t }),
  });
  return ((await res.json()) as { id: string }).id;
}

afterAll(async () => {
  await browser?.close();
  await fleet?.close();
  await new Promise((r) => target?.close(r));
});

describe('History view', () => {
  it('lists past rows newest first, filters by agent, and links each row to its measurement', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      await page.goto(`${fleet.hubUrl}/#/history`);
      const rows = page.locator('.history tbody tr');
      await rows.first().waitFor({ timeout: 20_000 });
      await expect(rows.count()).resolves.toBe(4);
      await expect(page.locator('nav a.active').textContent()).resolves.toBe('History');
      await page.fill('input[name=agent]', 'nyc-1');
      await page.click('.history-filter button');
      await page.waitForFunction(() => document.querySelectorAll('.history tbody tr').length === 2);
      await expect(rows.evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-agent'), tr.getAttribute('data-status')]))).resolves.toEqual([
        ['nyc-1', 'ok'],
        ['nyc-1', 'ok'],
      ]);
      await page.screenshot({ path: artifact('history.png'), fullPage: true });
      await rows.first().locator('a').click();
      await page.waitForURL(`**/#/m/${ids[1]}`);
      await page.locator('.results tr.row').first().waitFor({ timeout: 20_000 });
      await expect(page.locator('.results tr.row').count()).resolves.toBe(2);
    } finally {
      await page.close();
    }
  });
});

/** How the web target answers the next run: fast, slow, or 503. */
type Mode = 'fast' | 'slow' | 'fail';
let mode: Mode = 'fast';
const SLOW_MS = 400;
const RUNS: Mode[] = ['fast', 'slow', 'fail', 'fast'];

describe('History charts: this test from this agent over time', () => {
  let web: TestServer;
  let url: string;
  const runs: string[] = [];

  beforeAll(async () => {
    web = await startServer((_req, res) => {
      const answer = (code: number) => {
        res.writeHead(code, { 'content-type': 'text/plain' });
        res.end(code === 200 ? 'hello\n' : 'busy\n');
      };
      if (mode === 'slow') setTimeout(() => answer(200), SLOW_MS);
      else answer(mode === 'fail' ? 503 : 200);
    });
    url = `${web.origin}/`;
    // Runs one after the other, the target changing in between: the series has a shape to see.
    for (const m of RUNS) {
      mode = m;
      runs.push(await measure('http', url));
    }
  }, 60_000);

  afterAll(async () => {
    await web?.close();
  });

  it('links a result row to its history, draws the runs as points and the failure as a failure, by keyboard', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    try {
      await page.goto(`${fleet.hubUrl}/#/m/${runs.at(-1)}`);
      const link = page.locator('.results tr.row[data-agent=nyc-1] a.over-time');
      await link.waitFor({ timeout: 20_000 });
      // Keyboard: the link is reached with Tab from its row, and Enter follows it (does not open the row).
      await page.locator('.results tr.row[data-agent=nyc-1]').focus();
      await page.keyboard.press('Tab');
      await expect(page.evaluate(() => document.activeElement?.className)).resolves.toBe('over-time');
      await page.keyboard.press('Enter');
      await page.waitForURL((u) => u.hash === `#/history?type=http&target=${encodeURIComponent(url)}&agent=nyc-1`);
      const chart = page.locator('.trend');
      await chart.first().waitFor({ timeout: 20_000 });
      await expect(chart.count()).resolves.toBe(1);
      await expect(chart.getAttribute('data-agent')).resolves.toBe('nyc-1');
      await expect(page.locator('.trends h3').textContent()).resolves.toBe(`HTTP total time, target ${url}`);
      await expect(chart.locator('figcaption small').textContent()).resolves.toMatch(/^4 runs · 1 failed · median /);
      // Oldest first: fast, slow, the 503 in the failure lane, fast again; each a link to its run.
      const points = await chart.locator('svg a').evaluateAll((as) =>
        as.map((a) => {
          const mark = a.firstElementChild?.nextElementSibling as SVGGraphicsElement;
          const box = mark.getBBox();
          return { status: a.getAttribute('data-status'), href: a.getAttribute('href'), tag: mark.tagName, y: box.y + box.height / 2 };
        }),
      );
      expect(points.map((p) => [p.status, p.tag])).toEqual([
        ['ok', 'circle'],
        ['ok', 'circle'],
        ['failed', 'path'],
        ['ok', 'circle'],
      ]);
      expect(points.map((p) => p.href)).toEqual(runs.map((id) => `#/m/${id}`));
      // SVG y grows downwards: the slow run is drawn higher than both fast ones, the failure below the axis.
      expect(points[1]!.y).toBeLessThan(points[0]!.y - 20);
      expect(points[1]!.y).toBeLessThan(points[3]!.y - 20);
      expect(points[2]!.y).toBeGreaterThan(Math.max(points[0]!.y, points[3]!.y));
      await expect(chart.locator('svg a').nth(2).getAttribute('aria-label')).resolves.toMatch(/failed · .*HTTP status 503/);
      await page.screenshot({ path: artifact('history-trend-agent.png'), fullPage: true });

      // Every agent: one chart each on the same scale; the address follows the filter.
      await page.fill('input[name=agent]', '');
      await page.click('.history-filter button');
      await page.waitForFunction(() => document.querySelectorAll('.trend').length === 2);
      await expect(chart.evaluateAll((fs) => fs.map((f) => f.getAttribute('data-agent')))).resolves.toEqual(['ams-1', 'nyc-1']);
      expect(new URL(page.url()).hash).toBe(`#/history?type=http&target=${encodeURIComponent(url)}`);
      await page.screenshot({ path: artifact('history-trend.png'), fullPage: true });

      // The points are keyboard stops: Tab from the filter's button reaches the first, Enter opens its run.
      await page.locator('.history-filter button').focus();
      await page.keyboard.press('Tab');
      await expect(page.evaluate(() => document.activeElement?.getAttribute('href'))).resolves.toBe(`#/m/${runs[0]}`);
      await page.keyboard.press('Enter');
      await page.waitForURL(`**/#/m/${runs[0]}`);
      await page.locator('.results tr.row').first().waitFor({ timeout: 20_000 });
    } finally {
      await page.close();
    }
  });

  it('fits a phone-sized screen', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    try {
      await page.goto(`${fleet.hubUrl}/#/history?type=http&target=${encodeURIComponent(url)}`);
      await page.waitForFunction(() => document.querySelectorAll('.trend').length === 2);
      // Charts are stacked, each the screen's width, and nothing scrolls sideways.
      const boxes = await page.locator('.trend').evaluateAll((fs) => fs.map((f) => f.getBoundingClientRect().toJSON() as DOMRect));
      expect(boxes[1]!.top).toBeGreaterThan(boxes[0]!.bottom - 1);
      for (const b of boxes) expect(b.width).toBeGreaterThan(300);
      await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(390);
      await page.screenshot({ path: artifact('history-trend-phone.png'), fullPage: true });
    } finally {
      await page.close();
    }
  });
});
