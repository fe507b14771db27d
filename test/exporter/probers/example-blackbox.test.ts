// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${1} is a Go Regexp.Expand reference, meant literally
import { readFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, TLSSocket } from 'node:tls';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { ServerCredentials } from '@grpc/grpc-js';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildExporter, type Exporter } from '../../../exporter/server.js';
import { resolveConfig } from '../../../lib/config/load.js';
import { type Blackbox, startBlackbox } from '../../helpers/blackbox.js';
import { asBlackbox023 } from '../../helpers/blackbox-023.js';
import { type HealthServer, startHealthServer } from '../../helpers/grpc-health.js';
import { type DnsTestServer, startDnsServer, zone } from '../../helpers/dns-server.js';
import { refusedPort, startProxy, startServer, type TestProxy, type TestServer } from '../../helpers/http-servers.js';
import { createTestPki, type TestPki } from '../../helpers/tls.js';
import { close, listen, onLines } from './tcp-helpers.js';

/**
 * Every module of upstream's example configs, as Debian's blackbox_exporter 0.23 ships them
 * (example.yml, blackbox.yml), and of the blackbox testdata fixtures 0.23 loads, probed by the real
 * 0.23 binary and by Pulse's /probe on the same local targets: the same series (names, label
 * names and values) and the same values wherever they do not measure time. Only what points
 * outside the test is changed: the proxy's port, the CA file, and the test CA for modules that
 * verify TLS (the targets' certificates come from a test CA).
 */
// Installed with the package (scripts/install-system-deps.sh); a Docker image that excludes
// /usr/share/doc from dpkg would lack them, and this test then fails on reading them.
const EXAMPLES = '/usr/share/doc/prometheus-blackbox-exporter/examples';
const FIXTURES = `${import.meta.dirname}/../../fixtures/blackbox`;
const FILES = [
  `${EXAMPLES}/example.yml`,
  `${EXAMPLES}/blackbox.yml`,
  `${FIXTURES}/basic-0.23.yml`,
  `${FIXTURES}/empty-sections.yml`,
  `${FIXTURES}/go-regex-syntax.yml`,
  `${FIXTURES}/compression-star.yml`,
  `${FIXTURES}/tls-verification.yml`,
];
// Prometheus's scrape timeout, sent to both, so modules without a timeout do not wait 120 s.
const SCRAPE_TIMEOUT = 5;
/**
 * Pulse's additions, each in docs/blackbox-compat.md ("Differences found"): probe_timeout_seconds
 * on every probe, and the icmp packet and round-trip series (Pulse's `icmp.packets`).
 */
const PULSE_ONLY = new Set(['probe_timeout_seconds', 'probe_icmp_packets_sent', 'probe_icmp_packets_received', 'probe_icmp_packet_loss_ratio', 'probe_icmp_rtt_seconds']);
/** Where 0.23 and 0.28 differ and Pulse follows 0.28: the differences this test must find. */
const SINCE_023: Record<string, string[]> = {
  // 0.26 registers grpc's TLS series only after a TLS handshake; 0.23 always had the expiry at 0.
  'blackbox.yml grpc_plain on its target': ['only blackbox: probe_ssl_earliest_cert_expiry{} 0'],
  'blackbox.yml grpc_plain on a failing target': ['only blackbox: probe_ssl_earliest_cert_expiry{} 0'],
  'blackbox.yml grpc on a failing target': ['only blackbox: probe_ssl_earliest_cert_expiry{} 0'],
};

type Modules = Record<string, { prober: string; [section: string]: unknown }>;
type Samples = Map<string, number>;

/** `name{label="value",...}` with the labels sorted, mapped to the value. */
function samples(text: string): Samples {
  const out: Samples = new Map();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`unparseable exposition line: ${line}`);
    const labels = [...(m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((l) => `${l[1]}="${l[2]}"`).sort();
    out.set(`${m[1]}{${labels.join(',')}}`, Number(m[3]));
  }
  return out;
}

/** Series that measure time: present in both and sane, not equal. */
function isTiming(series: string): boolean {
  return /^probe_[a-z_]*(duration_seconds|lookup_time_seconds)\{/.test(series) || series.startsWith('probe_icmp_rtt');
}

/** Every difference between blackbox's series and Pulse's, one readable line each. */
function differences(bb: Samples, ours: Samples): string[] {
  const out: string[] = [];
  for (const [series, value] of bb) {
    const mine = ours.get(series);
    if (mine === undefined) out.push(`only blackbox: ${series}${isTiming(series) ? '' : ` ${value}`}`);
    else if (isTiming(series)) {
      if (!(mine >= 0 && mine <= SCRAPE_TIMEOUT)) out.push(`timing out of range: ${series} ${mine}`);
    } else if (mine !== value) out.push(`${series}: blackbox ${value}, Pulse ${mine}`);
  }
  for (const [series, value] of ours) if (!bb.has(series) && !PULSE_ONLY.has(series.replace(/\{.*$/, ''))) out.push(`only Pulse: ${series}${isTiming(series) ? '' : ` ${value}`}`);
  return out;
}

/** A line-oriented server: `reply` answers each line; `'starttls'` upgrades the socket after writing. */
function dialogue(greeting: string | undefined, reply: (line: string, secure: boolean) => string | [string, 'starttls'] | undefined, tls?: { key: string; cert: string }): Server {
  return createServer((socket: Socket) => {
    socket.on('error', () => {});
    if (greeting) socket.write(greeting);
    const serve = (s: Socket, secure: boolean) => {
      const stop = onLines(s, (line) => {
        const r = reply(line, secure);
        if (Array.isArray(r) && tls) {
          stop();
          s.write(r[0], () => {
            const upgraded = new TLSSocket(s, { isServer: true, key: tls.key, cert: tls.cert });
            upgraded.on('error', () => {});
            serve(upgraded, true);
          });
        } else if (typeof r === 'string') s.write(r);
      });
    };
    serve(socket, false);
  });
}

let pki: TestPki;
let web: TestServer;
let secureWeb: TestServer;
let proxy: TestProxy;
let dns: DnsTestServer;
const tcpServers: Server[] = [];
const grpcServers: HealthServer[] = [];
const ports: Record<string, number> = {};
let refused: number;
const runs: { file: string; modules: Modules; blackbox: Blackbox; pulse: Exporter }[] = [];

/** Points a module at the test's own proxy and CA; nothing else changes. */
function localize(mod: Modules[string]): Modules[string] {
  const out = structuredClone(mod);
  const section = out[out.prober] as Record<string, unknown> | null | undefined;
  if (!section) return out;
  if (typeof section.proxy_url === 'string') section.proxy_url = `http://127.0.0.1:${proxy.port}`;
  const tls = (section.tls_config ?? {}) as Record<string, unknown>;
  const steps = (section.query_response ?? []) as { starttls?: boolean }[];
  if ('ca_file' in tls || section.tls === true || steps.some((s) => s.starttls)) section.tls_config = { ...tls, ca_file: pki.caFile };
  return out;
}

beforeAll(async () => {
  pki = await createTestPki();
  const leaf = await pki.issue('pulse.test', { hosts: ['pulse.test', '127.0.0.1'], usage: 'server' });
  const body = 'Download the latest version here';
  web = await startServer((req, res, reqBody) => {
    res.setHeader('Last-Modified', 'Wed, 21 Oct 2015 07:28:00 GMT');
    res.setHeader('Access-Control-Allow-Origin', '*');
    const auth = req.headers.authorization;
    if (req.method === 'POST' && auth !== undefined) {
      const ok = ['username:mysecret', 'probe:not-a-real-secret'].includes(Buffer.from(auth.replace(/^Basic /, ''), 'base64').toString());
      res.writeHead(ok ? 200 : 401, { 'Content-Length': '0' }).end();
    } else if (req.url === '/gzip' || req.url === '/br') {
      const packed = req.url === '/gzip' ? gzipSync(body) : brotliCompressSync(body);
      res.writeHead(200, { 'Content-Encoding': req.url.slice(1), 'Content-Length': String(packed.length) }).end(packed);
    } else if (req.url === '/digits') res.writeHead(200, { 'Content-Length': '4' }).end('ok42');
    else {
      const text = req.method === 'POST' ? `posted ${reqBody}` : body;
      res.writeHead(200, { 'Content-Length': String(Buffer.byteLength(text)) }).end(text);
    }
  });
  secureWeb = await startServer((_req, res) => res.writeHead(200, { 'Content-Length': '2' }).end('ok'), { tls: leaf });
  proxy = await startProxy();
  refused = await refusedPort();
  dns = await startDnsServer({
    handler: zone([
      { type: 'A', name: 'www.prometheus.io', ttl: 300, data: '127.0.0.1' },
      {
        type: 'SOA',
        name: 'prometheus.io',
        ttl: 3600,
        data: { mname: 'ns1.prometheus.io', rname: 'hostmaster.prometheus.io', serial: 2024010101, refresh: 3600, retry: 900, expire: 604800, minimum: 300 },
      },
      {
        type: 'SOA',
        name: 'pulse.test',
        ttl: 60,
        data: { mname: 'ns.pulse.test', rname: 'noc.pulse.test', serial: 7, refresh: 60, retry: 60, expire: 600, minimum: 60 },
      },
    ]),
  });
  const serve = async (name: string, s: Server) => {
    tcpServers.push(s);
    ports[name] = await listen(s);
  };
  await serve(
    'ssh',
    dialogue('SSH-2.0-pulse-test\r\n', () => undefined),
  );
  await serve(
    'imap',
    dialogue(
      '* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\n',
      (line) => (line === '. STARTTLS' ? ['. OK begin TLS\r\n', 'starttls'] : line === '. capability' ? '* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n. OK done\r\n' : undefined),
      leaf,
    ),
  );
  await serve(
    'smtp',
    dialogue(
      '220 mail.pulse.test ESMTP ready\r\n',
      (line, secure) => {
        if (line.startsWith('EHLO ')) return secure ? '250-mail.pulse.test\r\n250-AUTH PLAIN\r\n250 OK\r\n' : '250-mail.pulse.test\r\n250-STARTTLS\r\n250 OK\r\n';
        if (line === 'STARTTLS') return ['220 go ahead\r\n', 'starttls'];
        return line === 'QUIT' ? '221 bye\r\n' : undefined;
      },
      leaf,
    ),
  );
  await serve(
    'irc',
    dialogue(undefined, (line) => (line.startsWith('NICK ') ? 'PING :t0k3n\r\n' : line === 'PONG t0k3n' ? ':irc.pulse.test 001 prober :Welcome\r\n' : undefined)),
  );
  // POP3 greets with "+OK": blackbox's "^+OK" reads as "OK at the start" and does not match it.
  await serve(
    'pop3s',
    createTlsServer(leaf, (s) => {
      s.on('error', () => {});
      s.end('+OK POP3 ready\r\n');
    }),
  );
  // An AMQP broker answers a wrong greeting with its own protocol header, then closes.
  await serve(
    'amqps',
    createTlsServer(leaf, (s) => {
      onLines(s, (line) => {
        if (line === 'HELO') s.end(Buffer.from('AMQP\x00\x00\x09\x01', 'latin1'));
      });
    }),
  );
  await serve(
    'pop3',
    createServer((s) => {
      s.on('error', () => {});
      s.end('+OK POP3 ready\r\n');
    }),
  );
  for (const [name, creds] of [
    ['grpc_plain', ServerCredentials.createInsecure()],
    ['grpc_tls', ServerCredentials.createSsl(null, [{ private_key: Buffer.from(leaf.key), cert_chain: Buffer.from(leaf.cert) }])],
  ] as const) {
    const server = await startHealthServer(creds, { '': 'SERVING', service1: 'SERVING' });
    grpcServers.push(server);
    ports[name] = server.port;
  }

  await Promise.all(
    FILES.map(async (file) => {
      const raw = parse(await readFile(file, 'utf8')) as { modules: Modules };
      const modules = Object.fromEntries(Object.entries(raw.modules).map(([n, m]) => [n, localize(m)]));
      const [blackbox, pulse] = await Promise.all([startBlackbox(JSON.stringify({ modules })), buildExporter({ config: resolveConfig({ modules }, file) })]);
      runs.push({ file: file.replace(/^.*\//, ''), modules, blackbox, pulse });
    }),
  );
}, 60_000);

afterAll(async () => {
  await Promise.all(runs.flatMap((r) => [r.blackbox.stop(), r.pulse.app.close()]));
  for (const g of grpcServers) g.server.forceShutdown();
  await Promise.all([...tcpServers.map(close), web?.close(), secureWeb?.close(), proxy?.close(), dns?.close()]);
  await pki?.cleanup();
});

/** Each module's target on the test's servers, and whether it succeeds there (in both). */
const TARGETS: Record<string, Record<string, [target: () => string, success: 0 | 1]>> = {
  'example.yml': {
    http_2xx_example: [() => web.origin, 1],
    http_with_proxy: [() => web.origin, 1],
    http_post_2xx: [() => web.origin, 1],
    http_basic_auth_example: [() => web.origin, 1],
    http_custom_ca_example: [() => secureWeb.origin, 1],
    http_gzip: [() => `${web.origin}/gzip`, 1],
    http_gzip_with_accept_encoding: [() => `${web.origin}/gzip`, 1],
    tls_connect: [() => `127.0.0.1:${ports.pop3s}`, 1],
    tcp_connect_example: [() => `127.0.0.1:${ports.ssh}`, 1],
    imap_starttls: [() => `127.0.0.1:${ports.imap}`, 1],
    smtp_starttls: [() => `127.0.0.1:${ports.smtp}`, 1],
    irc_banner_example: [() => `127.0.0.1:${ports.irc}`, 1],
    icmp_example: [() => '127.0.0.1', 1],
    // Its rules contradict each other on purpose (an answer both must and must not match).
    dns_udp_example: [() => dns.target, 0],
    dns_soa: [() => dns.target, 1],
    dns_tcp_example: [() => dns.target, 1],
  },
  'blackbox.yml': {
    http_2xx: [() => web.origin, 1],
    http_post_2xx: [() => web.origin, 1],
    tcp_connect: [() => `127.0.0.1:${ports.ssh}`, 1],
    pop3s_banner: [() => `127.0.0.1:${ports.pop3s}`, 0],
    grpc: [() => `127.0.0.1:${ports.grpc_tls}`, 1],
    grpc_plain: [() => `127.0.0.1:${ports.grpc_plain}`, 1],
    ssh_banner: [() => `127.0.0.1:${ports.ssh}`, 1],
    irc_banner: [() => `127.0.0.1:${ports.irc}`, 1],
    icmp: [() => '127.0.0.1', 1],
    icmp_ttl5: [() => '127.0.0.1', 1],
  },
  'basic-0.23.yml': {
    post_login: [() => web.origin, 1],
    cors_origin: [() => web.origin, 1],
    mail_starttls: [() => `127.0.0.1:${ports.smtp}`, 1],
    irc: [() => `127.0.0.1:${ports.irc}`, 1],
    resolver: [() => dns.target, 1],
    icmp4: [() => '127.0.0.1', 1],
  },
  'empty-sections.yml': {
    web: [() => web.origin, 1],
    port: [() => `127.0.0.1:${ports.ssh}`, 1],
    ping: [() => '127.0.0.1', 1],
  },
  'go-regex-syntax.yml': {
    pop3_banner: [() => `127.0.0.1:${ports.pop3}`, 0],
    // "\Aok[[:digit:]]+\z" matches the whole body "ok42", "(?i)ready" does not.
    posix_classes: [() => `${web.origin}/digits`, 0],
  },
  'compression-star.yml': {
    web: [() => `${web.origin}/br`, 1],
  },
  'tls-verification.yml': {
    amqp_tls: [() => `127.0.0.1:${ports.amqps}`, 1],
    amqp_tls_insecure: [() => `127.0.0.1:${ports.amqps}`, 1],
    https_insecure: [() => secureWeb.origin, 1],
  },
};

/** The same modules where the target fails: a closed port, a certificate the module does not trust, a wrong answer. */
const FAILURES: { file: string; module: string; target: () => string }[] = [
  { file: 'example.yml', module: 'http_2xx_example', target: () => `http://127.0.0.1:${refused}/` },
  { file: 'example.yml', module: 'http_2xx_example', target: () => `${web.origin}/digits` },
  { file: 'blackbox.yml', module: 'http_2xx', target: () => secureWeb.origin },
  { file: 'example.yml', module: 'tcp_connect_example', target: () => `127.0.0.1:${refused}` },
  { file: 'blackbox.yml', module: 'tcp_connect', target: () => `[::1]:${ports.ssh}` },
  { file: 'blackbox.yml', module: 'grpc_plain', target: () => `127.0.0.1:${refused}` },
  { file: 'blackbox.yml', module: 'grpc', target: () => `127.0.0.1:${ports.grpc_plain}` },
  { file: 'example.yml', module: 'dns_tcp_example', target: () => `127.0.0.1:${refused}` },
  { file: 'example.yml', module: 'irc_banner_example', target: () => `127.0.0.1:${ports.pop3}` },
];

const ROWS = [
  ...Object.entries(TARGETS).flatMap(([file, mods]) => Object.entries(mods).map(([module, [target, success]]) => ({ file, module, target, success, on: 'its target' }))),
  ...FAILURES.map((f) => ({ ...f, success: 0, on: 'a failing target' })),
  // A name, resolved from the host's /etc/hosts: ip6 is preferred, with a fallback to ip4; whether
  // it succeeds depends on where localhost points (and whether anything listens on ::1), so only
  // the agreement is checked.
  ...(['http_2xx', 'ssh_banner'] as const).map((module) => ({
    file: 'blackbox.yml',
    module,
    target: () => (module === 'http_2xx' ? `http://localhost:${web.port}/` : `localhost:${ports.ssh}`),
    success: undefined,
    on: 'localhost',
  })),
];

async function probeBoth(file: string, module: string, target: string): Promise<{ bb: Samples; ours: Samples }> {
  const run = runs.find((r) => r.file === file)!;
  const query = `module=${module}&target=${encodeURIComponent(target)}`;
  const headers = { 'X-Prometheus-Scrape-Timeout-Seconds': String(SCRAPE_TIMEOUT) };
  const [bb, ours] = await Promise.all([fetch(`${run.blackbox.url}/probe?${query}`, { headers }), run.pulse.app.inject({ url: `/probe?${query}`, headers })]);
  expect(bb.status).toBe(200);
  expect(ours.statusCode).toBe(200);
  return { bb: samples(await bb.text()), ours: samples(asBlackbox023(ours.body)) };
}

describe("upstream's example modules, blackbox_exporter 0.23 and Pulse side by side", () => {
  it('covers every module of every file', () => {
    for (const run of runs) expect(Object.keys(TARGETS[run.file] ?? {}).sort(), run.file).toEqual(Object.keys(run.modules).sort());
  });

  it.each(ROWS)('$file $module on $on: same series, same values', async ({ file, module, target, success, on }) => {
    const { bb, ours } = await probeBoth(file, module, target());
    expect(differences(bb, ours)).toEqual(SINCE_023[`${file} ${module} on ${on}`] ?? []);
    if (success !== undefined) expect(bb.get('probe_success{}')).toBe(success);
  });
});
