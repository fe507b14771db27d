// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${1} and ${name} are Go Regexp.Expand references, meant literally
import { createServer, type Server } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Blackbox, startBlackbox } from '../../helpers/blackbox.js';
import { asBlackbox023 } from '../../helpers/blackbox-023.js';
import { freePort } from '../../helpers/free-port.js';
import { createTestPki, type TestPki } from '../../helpers/tls.js';
import { close, exposition, listen, onLines, probeTcp, seriesKeys, smtpLikeServer } from './tcp-helpers.js';

/**
 * Side by side with the real blackbox_exporter 0.23 (Debian's binary) on the same loopback
 * targets: the same series (names, label names and label values) and the same values wherever
 * they are not timings.
 */
const TIMING = new Set(['probe_duration_seconds', 'probe_dns_lookup_time_seconds']);
// Pulse's runner adds this one to every probe (blackbox 0.23 does not have it).
const PULSE_ONLY = new Set(['probe_timeout_seconds']);

let pki: TestPki;
const servers: Server[] = [];
let blackbox: Blackbox | undefined;
let modules: Record<string, { tcp: Record<string, unknown> }>;
const targets: Record<string, string> = {};

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
  const yml = Object.fromEntries(Object.entries(modules).map(([n, m]) => [n, { prober: 'tcp', timeout: '5s', ...m }]));
  blackbox = await startBlackbox(stringify({ modules: yml }));
}, 60_000);

afterAll(async () => {
  await blackbox?.stop();
  await Promise.all(servers.map(close));
  await pki?.cleanup();
});

describe('tcp prober against blackbox_exporter 0.23', () => {
  const names = ['connect', 'banner', 'banner_mismatch', 'refused', 'starttls', 'tls_verified', 'tls_insecure', 'tls_untrusted'];
  it.each(names)('module %s: same series and values', async (name) => {
    const target = targets[name]!;
    const theirs = samples((await blackbox!.probe(name, target)).body);
    const outcome = await probeTcp(modules[name]!.tcp, target);
    const ours = samples(asBlackbox023(exposition(outcome)));
    for (const k of [...ours.keys()]) if (PULSE_ONLY.has(k)) ours.delete(k);
    expect(seriesKeys([...ours.keys()].map((k) => `${k} 0`).join('\n'))).toEqual(seriesKeys([...theirs.keys()].map((k) => `${k} 0`).join('\n')));
    for (const [series, value] of theirs) {
      const metric = series.replace(/\{.*$/, '');
      if (TIMING.has(metric)) continue;
      expect({ series, value: ours.get(series) }).toEqual({ series, value });
    }
  });
});
