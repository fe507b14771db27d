import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { execa } from 'execa';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fleet, startFleet } from '../helpers/fleet.js';
import { artifact, launchChromium, ROOT } from './browser.js';

/** The page's History view (#/history) in a real browser, on a hub with two real exporters. */

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
  for (let i = 0; i < 2; i++) {
    const res = await fetch(`${fleet.hubUrl}/api/v1/measurements`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'tcp', target: addr }),
    });
    ids.push(((await res.json()) as { id: string }).id);
  }
}, 90_000);

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
