// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${1} and ${name} are Go Regexp.Expand references, meant literally
import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { execa, type ResultPromise } from 'execa';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, type TestPki } from '../../helpers/tls.js';
import { close, exposition, listen, onLines, probeTcp, seriesKeys, smtpLikeServer } from './tcp-helpers.js';

/**
 * Side by side with the real blackbox_exporter 0.23 (Debian's binary) on the same loopback
 * targets: the same series (names, label names and label values) and the same values wherever
 * they are not timings.
 */
const BLACKBOX = '/usr/bin/prometheus-blackbox-exporter';
const TIMING = new Set(['probe_duration_seconds', 'probe_dns_lookup_time_seconds']);
// Pulse's runner adds this one to every probe (blackbox 0.23 does not have it).
const PULSE_ONLY = new Set(['probe_timeout_seconds']);

let pki: TestPki;
const servers: Server[] = [];
let blackbox: ResultPromise | undefined;
let blackboxUrl = '';
let modules: Record<string, { tcp: Record<string, unknown> }>;
const targets: Record<string, string> = {};

async function freePort(): Promise<number> {
  const s = createServer();
  const port = await listen(s);
  await close(s);
  return port;
}

async function waitHealthy(url: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const res = await fetch(`${url}/-/healthy`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('blackbox_exporter did not become healthy');
    await new Promise((r) => setTimeout(r, 100));
  }
}

function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

beforeAll(async () => {
  pki = await createTestPki();
  const leaf = await pki.issue('mail.test', { hosts: ['localhost', 'mail.test', '127.0.0.1'], usage: 'server' });
  const serve = async (s: Server) => {
    servers.push(s);
    return listen(s);
  };
  const smtp = await serve(smtpLikeServer(leaf));
  const tls = await serve(
    createTlsServer({ key: leaf.key, cert: leaf.cert }, (s) => {
      s.on('error', () => {});
      s.write('* OK ready\r\n');
      onLines(s, () => {});
    }),
  );
  const closing = await serve(
    createServer((s) => {
      s.on('error', () => {});
      s.end('SSH-2.0-test\r\n');
    }),
  );
  const refused = await freePort();
  modules = {
    connect: { tcp: {} },
    banner: { tcp: { query_response: [{ expect: '^SSH-2.0-' }] } },
    banner_mismatch: { tcp: { query_response: [{ expect: '^220' }] } },
    refused: { tcp: {} },
    starttls: {
      tcp: {
        query_response: [
          { expect: '^220 ([^ ]+) ESMTP (.+)$', send: 'EHLO ${1}\r' },
          { expect: '^250-STARTTLS' },
          { expect: '^250 ', send: 'STARTTLS\r' },
          { expect: '^220', starttls: true },
          { send: 'NOOP\r' },
          { expect: '^250 heard NOOP' },
        ],
        tls_config: { ca_file: pki.caFile },
      },
    },
    tls_verified: { tcp: { tls: true, tls_config: { ca_file: pki.caFile } } },
    tls_insecure: { tcp: { tls: true, tls_config: { insecure_skip_verify: true } } },
    tls_untrusted: { tcp: { tls: true } },
  };
  Object.assign(targets, {
    connect: `127.0.0.1:${closing}`,
    banner: `localhost:${closing}`,
    banner_mismatch: `127.0.0.1:${closing}`,
    refused: `127.0.0.1:${refused}`,
    starttls: `localhost:${smtp}`,
    tls_verified: `localhost:${tls}`,
    tls_insecure: `127.0.0.1:${tls}`,
    tls_untrusted: `localhost:${tls}`,
  });
  const config = join(pki.dir, 'blackbox.yml');
  const yml = Object.fromEntries(Object.entries(modules).map(([n, m]) => [n, { prober: 'tcp', timeout: '5s', ...m }]));
  await writeFile(config, stringify({ modules: yml }));
  const port = await freePort();
  blackboxUrl = `http://127.0.0.1:${port}`;
  blackbox = execa(BLACKBOX, [`--config.file=${config}`, `--web.listen-address=127.0.0.1:${port}`], { reject: false });
  await waitHealthy(blackboxUrl);
}, 60_000);

afterAll(async () => {
  if (blackbox?.pid !== undefined) {
    blackbox.kill('SIGTERM');
    await blackbox;
  }
  await Promise.all(servers.map(close));
  await pki?.cleanup();
});

describe('tcp prober against blackbox_exporter 0.23', () => {
  const names = ['connect', 'banner', 'banner_mismatch', 'refused', 'starttls', 'tls_verified', 'tls_insecure', 'tls_untrusted'];
  it.each(names)('module %s: same series and values', async (name) => {
    const target = targets[name]!;
    const res = await fetch(`${blackboxUrl}/probe?module=${name}&target=${encodeURIComponent(target)}`);
    const theirs = samples(await res.text());
    const outcome = await probeTcp(modules[name]!.tcp, target);
    const ours = samples(exposition(outcome));
    for (const k of [...ours.keys()]) if (PULSE_ONLY.has(k)) ours.delete(k);
    expect(seriesKeys([...ours.keys()].map((k) => `${k} 0`).join('\n'))).toEqual(seriesKeys([...theirs.keys()].map((k) => `${k} 0`).join('\n')));
    for (const [series, value] of theirs) {
      const metric = series.replace(/\{.*$/, '');
      if (TIMING.has(metric)) continue;
      expect({ series, value: ours.get(series) }).toEqual({ series, value });
    }
  });
});
