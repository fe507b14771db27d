import { execa } from 'execa';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { type Fleet, startFleet } from '../helpers/fleet.js';
import { createTestPki } from '../helpers/tls.js';
import { type Closable, dnsServer, httpServer } from '../cli/helpers/servers.js';
import { artifact, launchChromium, ROOT } from './browser.js';

/** The hub's page in a real browser, against a real hub and two real exporters on loopback. */

let fleet: Fleet;
let browser: Browser;
let dns: Closable;
let web: Closable;
let page: Page;
const external: string[] = [];

beforeAll(async () => {
  // The hub serves hub/ui/dist, as after `npm run build`.
  await execa('node', [`${ROOT}/scripts/build-ui.mjs`]);
  [fleet, browser, dns, web] = await Promise.all([
    startFleet({
      agents: [
        { name: 'ams-1', labels: { region: 'eu' } },
        { name: 'nyc-1', labels: { region: 'us' } },
      ],
    }),
    launchChromium(),
    dnsServer({ 'www.pulse.test': ['192.0.2.10', '192.0.2.11'] }),
    httpServer(),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await dns?.close();
  await web?.close();
  await fleet?.close();
});

beforeEach(async () => {
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  // Everything the page loads must come from the hub itself: no CDN, no fonts, nothing outside.
  page.on('request', (req) => {
    if (!req.url().startsWith(fleet.hubUrl) && !req.url().startsWith('data:')) external.push(req.url());
  });
});

afterEach(async () => {
  await page.close();
  expect(external).toEqual([]);
});

async function pick(kind: string): Promise<void> {
  await page.locator('.kinds label', { hasText: kind }).click();
}

async function rowsDone(): Promise<void> {
  await page.locator('.results .summary').waitFor({ timeout: 30_000 });
}

describe('web page', () => {
  it('runs a dns test and shows one row per agent with its answers', async () => {
    await page.goto(`${fleet.hubUrl}/`);
    await expect(page.title()).resolves.toBe('Pulse');
    await pick('DNS');
    // Defaults are filled in.
    await expect(page.locator('#f-qtype').inputValue()).resolves.toBe('A');
    await expect(page.locator('#f-timeout').inputValue()).resolves.toBe('10');
    await page.fill('#f-name', 'www.pulse.test');
    await page.fill('#f-resolver', `127.0.0.1:${dns.port}`);
    await page.click('button.run');
    await rowsDone();
    const rows = page.locator('.results tr.row');
    await expect(rows.count()).resolves.toBe(2);
    await expect(rows.evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-agent'), tr.getAttribute('data-status')]))).resolves.toEqual([
      ['ams-1', 'ok'],
      ['nyc-1', 'ok'],
    ]);
    await expect(rows.first().locator('td.figure').textContent()).resolves.toMatch(/^\S+ m?s · 2 answers$/);
    await expect(page.locator('.results .summary').textContent()).resolves.toContain('2 ok');
    await rows.first().click();
    const detail = page.locator('.detail-row');
    await expect(detail.locator('table.dns').textContent()).resolves.toContain('192.0.2.11');
    await page.screenshot({ path: artifact('dns.png'), fullPage: true });
  });

  it('runs an http test with a timing bar, headers and a status code', async () => {
    await page.goto(`${fleet.hubUrl}/`);
    await pick('HTTP');
    await page.fill('#f-url', `http://127.0.0.1:${web.port}/`);
    await page.click('button.run');
    await rowsDone();
    const rows = page.locator('.results tr.row');
    await expect(rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-status')))).resolves.toEqual(['ok', 'ok']);
    await expect(rows.first().locator('td.figure').textContent()).resolves.toMatch(/^200 · \S+ m?s$/);
    await rows.nth(1).click();
    const detail = page.locator('.detail-row');
    await expect(detail.locator('.timing .phase').count()).resolves.toBeGreaterThan(0);
    await expect(detail.locator('table.headers').textContent()).resolves.toContain('x-pulse-test');
    await page.screenshot({ path: artifact('http.png'), fullPage: true });
  });

  it('shows the TLS certificate of an https site', async () => {
    const pki = await createTestPki();
    const cert = await pki.issue('site.pulse.test', { hosts: ['127.0.0.1'] });
    const server = createHttpsServer({ key: cert.key, cert: cert.cert }, (_req, res) => res.end('hi'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      await page.goto(`${fleet.hubUrl}/`);
      await pick('HTTP');
      await page.fill('#f-url', `https://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      // The test CA is not in the agents' trust store: skip verification, as curl -k would.
      await page.check('#f-insecure');
      await page.fill('#f-agents', 'name=ams-1');
      await page.click('button.run');
      await rowsDone();
      await page.locator('.results tr.row').click();
      const cert = await page.locator('.detail-row table.cert').textContent();
      expect(cert).toContain('CN=site.pulse.test');
      expect(cert).toContain('CN=Pulse Test CA');
      expect(cert).toMatch(/Verifiedno/);
      await expect(page.locator('.detail-row .timing .phase.tls').count()).resolves.toBe(1);
      await page.screenshot({ path: artifact('https-certificate.png'), fullPage: true });
    } finally {
      server.closeAllConnections();
      server.close();
      await pki.cleanup();
    }
  });

  it("shows the API's error in words for an invalid target", async () => {
    await page.goto(`${fleet.hubUrl}/`);
    await pick('TCP');
    await page.fill('#f-target', 'not a host');
    await page.click('button.run');
    const error = page.locator('#error');
    await error.waitFor({ state: 'visible', timeout: 30_000 });
    await expect(error.textContent()).resolves.toMatch(/target "not a host": .*not a valid hostname.*PULSE_BAD_TARGET/);
    await expect(page.locator('.results').count()).resolves.toBe(0);
    await page.screenshot({ path: artifact('invalid-target.png'), fullPage: true });
  });

  it('says what is missing before calling the hub', async () => {
    await page.goto(`${fleet.hubUrl}/`);
    await pick('Ping');
    await page.click('button.run');
    await expect(page.locator('#error').textContent()).resolves.toContain('Target is required');
  });

  it('narrows the agents by label', async () => {
    await page.goto(`${fleet.hubUrl}/`);
    await pick('DNS');
    await page.fill('#f-name', 'www.pulse.test');
    await page.fill('#f-resolver', `127.0.0.1:${dns.port}`);
    await page.fill('#f-agents', 'region=us');
    await page.click('button.run');
    await rowsDone();
    await expect(page.locator('.results tr.row').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-agent')))).resolves.toEqual(['nyc-1']);
  });

  it('shows mtr hops as a table', async () => {
    await page.goto(`${fleet.hubUrl}/`);
    await pick('mtr');
    await page.fill('#f-target', '127.0.0.1');
    await page.fill('#f-packets', '1');
    await page.fill('#f-agents', 'name=ams-1');
    await page.click('button.run');
    await rowsDone();
    const row = page.locator('.results tr.row');
    await expect(row.getAttribute('data-status')).resolves.toBe('ok');
    await expect(row.locator('td.figure').textContent()).resolves.toMatch(/^1 hop · 0% loss/);
    await row.click();
    await expect(page.locator('.detail-row table.hops tbody tr').first().textContent()).resolves.toContain('127.0.0.1');
    await page.screenshot({ path: artifact('mtr.png'), fullPage: true });
  });

  it('lists the agents', async () => {
    await page.goto(`${fleet.hubUrl}/#/agents`);
    const rows = page.locator('.agents tbody tr');
    await rows.first().waitFor({ timeout: 30_000 });
    await expect(rows.evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-agent'), tr.getAttribute('data-state')]))).resolves.toEqual([
      ['ams-1', 'online'],
      ['nyc-1', 'online'],
    ]);
    await expect(rows.first().textContent()).resolves.toContain('region=eu');
    await expect(page.locator('.agents .summary').textContent()).resolves.toBe('2 of 2 agents online');
    await page.screenshot({ path: artifact('agents.png'), fullPage: true });
  });

  it('fits a phone screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${fleet.hubUrl}/`);
    await pick('HTTP');
    await page.fill('#f-url', `http://127.0.0.1:${web.port}/`);
    await page.click('button.run');
    await rowsDone();
    await page.locator('.results tr.row').first().click();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: artifact('phone-http.png'), fullPage: true });
  });

  it('opens a past measurement by its link', async () => {
    await page.goto(`${fleet.hubUrl}/`);
    await pick('DNS');
    await page.fill('#f-name', 'www.pulse.test');
    await page.fill('#f-resolver', `127.0.0.1:${dns.port}`);
    await page.click('button.run');
    await rowsDone();
    const href = await page.locator('.results a.permalink').getAttribute('href');
    expect(href).toMatch(/^#\/m\/[A-Za-z0-9_-]+$/);
    // The address follows the run by itself, and the heading says what was asked, not only where.
    await expect(page.evaluate(() => location.hash)).resolves.toBe(href);
    await expect(page.locator('.results h2').textContent()).resolves.toBe(`DNS www.pulse.test A @ 127.0.0.1:${dns.port}`);
    const other = await browser.newPage();
    try {
      await other.goto(`${fleet.hubUrl}/${href}`);
      await other.locator('.results .summary').waitFor({ timeout: 30_000 });
      await expect(other.locator('.results tr.row').count()).resolves.toBe(2);
      await expect(other.locator('.results h2').textContent()).resolves.toBe(`DNS www.pulse.test A @ 127.0.0.1:${dns.port}`);
    } finally {
      await other.close();
    }
  });

  it('a run over two resolvers: one link naming both measurements, the name and type in the heading, both resolvers in the rows', async () => {
    const second = await dnsServer({ 'www.pulse.test': ['192.0.2.12'] });
    const other = await browser.newPage();
    try {
      await page.goto(`${fleet.hubUrl}/`);
      await pick('DNS');
      await page.fill('#f-name', 'www.pulse.test');
      await page.selectOption('#f-qtype', 'A');
      await page.fill('#f-resolver', `127.0.0.1:${dns.port} 127.0.0.1:${second.port}`);
      await page.click('button.run');
      await rowsDone();
      const links = page.locator('.results a.permalink');
      await expect(links.count()).resolves.toBe(1);
      await expect(links.textContent()).resolves.toBe('link to this run');
      const href = (await links.getAttribute('href'))!;
      expect(href).toMatch(/^#\/m\/[A-Za-z0-9_-]+,[A-Za-z0-9_-]+$/);
      await expect(page.evaluate(() => location.hash)).resolves.toBe(href);
      await expect(page.locator('.results h2').textContent()).resolves.toBe('DNS www.pulse.test A');

      await other.goto(`${fleet.hubUrl}/${href}`);
      await other.locator('.results .summary').waitFor({ timeout: 30_000 });
      await expect(other.locator('.results h2').textContent()).resolves.toBe('DNS www.pulse.test A');
      const resolvers = await other.locator('.results tr.row td[data-label="Target"]').allTextContents();
      expect([...new Set(resolvers)].sort()).toEqual([`127.0.0.1:${dns.port}`, `127.0.0.1:${second.port}`].sort());
      await expect(other.locator('.results tr.row').count()).resolves.toBe(4);
      await expect(other.locator('.results a.permalink').count()).resolves.toBe(1);
    } finally {
      await other.close();
      await second.close();
    }
  });
});
