import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildExporter, type Exporter } from '../../../exporter/server.js';
import { resolveConfig } from '../../../lib/config/load.js';
import { type Blackbox, startBlackbox } from '../../helpers/blackbox.js';
import { asBlackbox023 } from '../../helpers/blackbox-023.js';
import { type Handler, refusedPort, startProxy, startServer, type TestProxy, type TestServer } from '../../helpers/http-servers.js';
import { createTestPki, type TestPki } from '../../helpers/tls.js';

/**
 * The strongest compatibility check there is: the real blackbox_exporter 0.23 and Pulse probe the
 * same loopback targets with the same modules, and must emit the same series (names and label
 * names) and the same deterministic values; Pulse's output must also pass promtool.
 */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parseExposition(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`unparseable exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    out.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return out;
}

/**
 * name{label names} of every series. probe_timeout_seconds is Pulse's addition (blackbox 0.23
 * logs the timeout but does not export it), so it is checked separately.
 */
function shape(samples: Sample[]): string[] {
  return samples.filter((s) => s.name !== 'probe_timeout_seconds').map((s) => `${s.name}{${Object.keys(s.labels).sort().join(',')}}`).sort();
}

// Values that do not depend on timing and must be identical.
const EXACT = [
  'probe_success',
  'probe_http_status_code',
  'probe_http_content_length',
  'probe_http_uncompressed_body_length',
  'probe_http_redirects',
  'probe_http_ssl',
  'probe_http_version',
  'probe_ip_protocol',
  'probe_ip_addr_hash',
  'probe_failed_due_to_regex',
  'probe_http_last_modified_timestamp_seconds',
  'probe_ssl_earliest_cert_expiry',
  'probe_ssl_last_chain_expiry_timestamp_seconds',
  'probe_ssl_last_chain_info',
  'probe_tls_version_info',
];

function exact(samples: Sample[]): string[] {
  return samples
    .filter((s) => EXACT.includes(s.name))
    .map((s) => `${s.name}${JSON.stringify(s.labels)} ${s.value}`)
    .sort();
}

let dir: string;
let pki: TestPki;
let plain: TestServer;
let secure: TestServer;
let secureH2: TestServer;
let fancy: TestServer;
let proxy: TestProxy;
let blackbox: Blackbox | undefined;
let pulse: Exporter;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pulse-bb-'));
  pki = await createTestPki();
  const cert = await pki.issue('localhost');
  const handler: Handler = (req, res) => {
    const path = req.url ?? '/';
    const hop = /^\/hop\/(\d+)$/.exec(path);
    if (hop && Number(hop[1]) > 0) {
      res.writeHead(302, { Location: `/hop/${Number(hop[1]) - 1}`, 'Content-Length': '0' });
      res.end();
    } else if (path === '/missing') {
      res.writeHead(404, { 'Content-Length': '9' });
      res.end('not found');
    } else {
      res.setHeader('Last-Modified', 'Wed, 21 Oct 2015 07:28:00 GMT');
      res.setHeader('Content-Length', '12');
      res.end('hello, pulse');
    }
  };
  plain = await startServer(handler);
  secure = await startServer(handler, { tls: { cert: cert.cert, key: cert.key } });
  secureH2 = await startServer(handler, { tls: { cert: cert.cert, key: cert.key }, http2: true });
  // A subject with repeated, escaped and non-standard attributes: Go's DN spelling must be matched.
  const fancyKey = join(dir, 'fancy.key');
  const fancyCrt = join(dir, 'fancy.crt');
  await execa('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '3',
    '-keyout', fancyKey, '-out', fancyCrt,
    '-subj', '/C=US/ST=California/L=San Francisco/O=Acme, Inc./OU=Ops/OU=Net/CN=#fancy.test /emailAddress=noc@fancy.test',
    '-addext', 'subjectAltName=DNS:fancy.test,DNS:www.fancy.test,IP:127.0.0.1',
  ]);
  const { readFile } = await import('node:fs/promises');
  fancy = await startServer(handler, { tls: { cert: await readFile(fancyCrt, 'utf8'), key: await readFile(fancyKey, 'utf8') } });
  proxy = await startProxy('user', 'secret');

  const modules = {
    http_2xx: { prober: 'http', timeout: '5s' },
    https_ca: { prober: 'http', timeout: '5s', http: { tls_config: { ca_file: pki.caFile } } },
    https_insecure: { prober: 'http', timeout: '5s', http: { tls_config: { insecure_skip_verify: true } } },
    body_regex: { prober: 'http', timeout: '5s', http: { fail_if_body_matches_regexp: ['pulse'], valid_status_codes: [200, 404] } },
    no_follow: { prober: 'http', timeout: '5s', http: { follow_redirects: false } },
    host_header: { prober: 'http', timeout: '5s', http: { headers: { Host: 'localhost' }, tls_config: { ca_file: pki.caFile } } },
    via_proxy: {
      prober: 'http',
      timeout: '5s',
      http: { proxy_url: `http://user:secret@127.0.0.1:${proxy.port}`, tls_config: { ca_file: pki.caFile } },
    },
  };
  blackbox = await startBlackbox(JSON.stringify({ modules }));
  pulse = await buildExporter({ config: resolveConfig({ modules }) });
});

afterAll(async () => {
  await blackbox?.stop();
  await pulse?.app.close();
  await Promise.all([plain?.close(), secure?.close(), secureH2?.close(), fancy?.close(), proxy?.close()]);
  await pki?.cleanup();
  await rm(dir, { recursive: true, force: true });
});

async function both(module: string, target: string): Promise<{ bb: string; ours: string }> {
  const q = `module=${module}&target=${encodeURIComponent(target)}`;
  const bb = (await blackbox!.probe(module, target)).body;
  const res = await pulse.app.inject({ method: 'GET', url: `/probe?${q}` });
  expect(res.statusCode).toBe(200);
  return { bb, ours: asBlackbox023(res.body) };
}

async function promtool(text: string): Promise<{ exitCode: number | undefined; output: string }> {
  const r = await execa('promtool', ['check', 'metrics'], { input: text, reject: false, all: true });
  return { exitCode: r.exitCode, output: r.all ?? '' };
}

describe('http prober compared with blackbox_exporter 0.23 on the same targets', () => {
  const cases: [string, string, () => string][] = [
    ['plain http, 200', 'http_2xx', () => `${plain.origin}/`],
    ['target without scheme', 'http_2xx', () => `127.0.0.1:${plain.port}/`],
    ['https verified by ca_file', 'https_ca', () => `${secure.origin}/`],
    ['https with insecure_skip_verify', 'https_insecure', () => `${secure.origin}/`],
    ['https over HTTP/2', 'https_ca', () => `${secureH2.origin}/`],
    ['untrusted certificate', 'http_2xx', () => `${secure.origin}/`],
    ['three redirects', 'http_2xx', () => `${plain.origin}/hop/3`],
    ['redirect not followed', 'no_follow', () => `${plain.origin}/hop/1`],
    ['too many redirects', 'http_2xx', () => `${plain.origin}/hop/12`],
    ['404', 'http_2xx', () => `${plain.origin}/missing`],
    ['body regexp failure', 'body_regex', () => `${plain.origin}/`],
    ['body regexp on a 404', 'body_regex', () => `${plain.origin}/missing`],
    ['IPv6 loopback refused', 'http_2xx', () => 'http://[::1]:1/'],
    ['certificate subject spelled like Go', 'https_insecure', () => `${fancy.origin}/`],
    ['Host header as SNI', 'host_header', () => `https://127.0.0.1:${secure.port}/`],
    ['http through an authenticating proxy', 'via_proxy', () => `${plain.origin}/`],
    ['https through an authenticating proxy', 'via_proxy', () => `${secure.origin}/`],
  ];
  for (const [name, module, target] of cases) {
    it(`${name}: same series and values, promtool-clean`, async () => {
      const { bb, ours } = await both(module, target());
      const bbSamples = parseExposition(bb);
      const ourSamples = parseExposition(ours);
      expect(shape(ourSamples)).toEqual(shape(bbSamples));
      expect(exact(ourSamples)).toEqual(exact(bbSamples));
      expect(ourSamples.find((s) => s.name === 'probe_timeout_seconds')?.value).toBe(5);
      const check = await promtool(ours);
      expect(check.output).toBe('');
      expect(check.exitCode).toBe(0);
    });
  }

  it('refused port: same series and values', async () => {
    const port = await refusedPort();
    const { bb, ours } = await both('http_2xx', `http://127.0.0.1:${port}/`);
    expect(shape(parseExposition(ours))).toEqual(shape(parseExposition(bb)));
    expect(exact(parseExposition(ours))).toEqual(exact(parseExposition(bb)));
    expect((await promtool(ours)).exitCode).toBe(0);
  });
});
