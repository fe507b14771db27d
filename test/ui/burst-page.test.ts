import { execa } from 'execa';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CountingServer, countingServer } from '../helpers/burst.js';
import { type Fleet, startFleet } from '../helpers/fleet.js';
import { artifact, launchChromium, ROOT } from './browser.js';

/** The page's Burst and Sockets tabs in a real browser, against a real hub and exporter. */

let fleet: Fleet;
let browser: Browser;
let target: CountingServer;
let page: Page;

beforeAll(async () => {
  await execa('node', [`${ROOT}/scripts/build-ui.mjs`]);
  [fleet, browser, target] = await Promise.all([startFleet({ agents: [{ name: 'ams-1', labels: { region: 'eu' } }] }), launchChromium(), countingServer((s) => s.resume())]);
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
});

afterAll(async () => {
  await browser?.close();
  await target?.close();
  await fleet?.close();
});

const pick = (kind: string) => page.locator('.kinds label', { hasText: kind }).click();
const rowsDone = () => page.locator('.results .summary').waitFor({ timeout: 30_000 });

describe('web page: burst and sockets', () => {
  it('runs a burst and draws the connect-time histogram and the attempts', async () => {
    await page.goto(`${fleet.hubUrl}/`);
    await pick('Burst');
    await expect(page.locator('#f-connections').inputValue()).resolves.toBe('100');
    await page.fill('#f-target', `127.0.0.1:${target.port}`);
    await page.fill('#f-connections', '40');
    await page.click('button.run');
    await rowsDone();
    const row = page.locator('.results tr.row');
    await expect(row.getAttribute('data-status')).resolves.toBe('ok');
    await expect(row.locator('td.figure').textContent()).resolves.toMatch(/^40 conn · 0 stalled · 0 failed · p99 /);
    await row.click();
    const buckets = page.locator('.detail-row .histogram .bucket .count');
    await expect(buckets.count()).resolves.toBe(13);
    const counts = (await buckets.allTextContents()).map(Number);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(40);
    await page.locator('.detail-row details summary', { hasText: 'Attempts' }).click();
    await expect(page.locator('.detail-row details table tbody tr').count()).resolves.toBe(40);
    await page.screenshot({ path: artifact('burst.png'), fullPage: true });
  });

  it("lists the agent's sockets by state", async () => {
    await page.goto(`${fleet.hubUrl}/`);
    await pick('Sockets');
    await page.click('button.run');
    await rowsDone();
    const row = page.locator('.results tr.row');
    await expect(row.locator('td.figure').textContent()).resolves.toMatch(/^\d+ sockets? · \d+ /);
  });
});
