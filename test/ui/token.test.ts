import { join } from 'node:path';
import { execa } from 'execa';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createToken } from '../../lib/auth/token-file.js';
import { type Fleet, startFleet } from '../helpers/fleet.js';
import { launchChromium, ROOT } from './browser.js';

// The page on a hub that requires a token: it loads, asks for a token when the API answers 401,
// and then lists the fleet with it.
let fleet: Fleet;
let browser: Browser;

beforeAll(async () => {
  await execa('node', [`${ROOT}/scripts/build-ui.mjs`]);
  [fleet, browser] = await Promise.all([startFleet({ agents: ['web-1'], hub: { auth: { required: true } } }), launchChromium()]);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await fleet?.close();
});

test('the page asks for a token on 401 and uses it', async () => {
  const { token } = await createToken(join(fleet.dir, 'hub-data'), { name: 'browser', scopes: ['read'] });
  const page = await browser.newPage();
  const asked: string[] = [];
  page.on('dialog', (d) => {
    asked.push(d.message());
    void d.accept(asked.length === 1 ? 'pulse_0000000000000000_wrongwrongwrongwrongwrongwrongwrongwrongwro' : token);
  });
  try {
    await page.goto(`${fleet.hubUrl}/#/agents`);
    await page.getByText('web-1').first().waitFor({ timeout: 15_000 });
    // First a wrong token (refused, asked again with the hub's reason), then the right one.
    expect(asked.length).toBe(2);
    expect(asked[0]).toMatch(/requires authentication/);
    expect(asked[1]).toMatch(/unknown token/);
  } finally {
    await page.close();
  }
}, 60_000);
