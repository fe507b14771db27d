// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${1} and ${name} are Go Regexp.Expand references, meant literally
import { createServer, type Server } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildExporter } from '../../../exporter/server.js';
import { parseConfig, resolveConfig } from '../../../lib/config/load.js';
import { createTestPki, type IssuedCert, type TestPki } from '../../helpers/tls.js';
import { close, exposition, listen, onLines, probeTcp, promtoolCheck, smtpLikeServer } from './tcp-helpers.js';

let pki: TestPki;
let leaf: IssuedCert;
const servers: Server[] = [];
let smtpPort: number;
let tlsPort: number;
let silentPort: number;
let closingPort: number;
let refusedPort: number;
let v6Port: number;
const heard: string[] = [];

async function serve(server: Server, host?: string): Promise<number> {
  servers.push(server);
  return listen(server, host);
}

beforeAll(async () => {
  pki = await createTestPki();
  leaf = await pki.issue('mail.test', { hosts: ['localhost', 'mail.test', '127.0.0.1'], usage: 'server' });
  smtpPort = await serve(smtpLikeServer(leaf, heard));
  tlsPort = await serve(
    createTlsServer({ key: leaf.key, cert: leaf.cert }, (s) => {
      s.on('error', () => {});
      s.write('* OK IMAP4rev1 over TLS\r\n');
      onLines(s, (l) => s.write(`* ECHO ${l}\r\n`));
    }),
  );
  // Accepts and never says a word: only the timeout can end a probe waiting on it.
  silentPort = await serve(createServer((s) => s.on('error', () => {})));
  closingPort = await serve(
    createServer((s) => {
      s.on('error', () => {});
      s.end('SSH-2.0-OpenSSH_9.2\r\nsecond line\r\n');
    }),
  );
  v6Port = await serve(
    createServer((s) => {
      s.on('error', () => {});
      s.end('hello over v6\n');
    }),
    '::1',
  );
  // A port that was ours a moment ago and is closed now: connecting to it is refused.
  const gone = createServer();
  refusedPort = await listen(gone);
  await close(gone);
}, 60_000);

afterAll(async () => {
  await Promise.all(servers.map(close));
  await pki?.cleanup();
});

describe('tcp prober: connect and banners', () => {
  it('connects and pre-creates blackbox series', async () => {
    const o = await probeTcp({}, `127.0.0.1:${closingPort}`);
    expect(o.success).toBe(true);
    expect(o.metrics.get('probe_ip_protocol')).toBe(4);
    // FNV-1a of 127.0.0.1's four bytes, the value blackbox 0.23 reports for this address.
    expect(o.metrics.get('probe_ip_addr_hash')).toBe(3668918509);
    expect(o.metrics.get('probe_failed_due_to_regex')).toBe(0);
    expect(o.metrics.has('probe_dns_lookup_time_seconds')).toBe(true);
    expect(o.metrics.has('probe_tls_version_info')).toBe(false);
    expect(o.details).toMatchObject({ host: '127.0.0.1', port: closingPort, ip: '127.0.0.1', ip_protocol: 4 });
  });

  it('resolves a name, falling back from the preferred ip6 to ip4', async () => {
    const o = await probeTcp({}, `localhost:${closingPort}`);
    expect(o.success).toBe(true);
    expect(o.metrics.get('probe_ip_protocol')).toBe(4);
    expect(o.details.ip).toBe('127.0.0.1');
  });

  it('fails without fallback when the name has no address of the preferred family', async () => {
    const o = await probeTcp({ ip_protocol_fallback: false }, `localhost:${closingPort}`);
    expect(o.success).toBe(false);
    expect(o.reason).toMatch(/no IPv6 address/);
    expect(o.metrics.get('probe_ip_protocol')).toBe(0);
    expect(o.metrics.get('probe_ip_addr_hash')).toBe(0);
  });

  it('probes an IPv6 literal', async () => {
    const o = await probeTcp({ query_response: [{ expect: 'v6$' }] }, `[::1]:${v6Port}`);
    expect(o.success).toBe(true);
    expect(o.metrics.get('probe_ip_protocol')).toBe(6);
    expect(o.metrics.get('probe_ip_addr_hash')).toBe(1751717746);
    expect(o.details.banner).toBe('hello over v6');
  });

  it('matches a banner and reports the line read', async () => {
    const o = await probeTcp({ query_response: [{ expect: '^SSH-2\\.0-' }] }, `127.0.0.1:${closingPort}`);
    expect(o.success).toBe(true);
    expect(o.details.banner).toBe('SSH-2.0-OpenSSH_9.2');
    expect(o.details.steps).toEqual([{ step: 0, expect: '^SSH-2\\.0-', matched_line: 'SSH-2.0-OpenSSH_9.2', lines_read: 1 }]);
  });

  it('fails due to regex when the server closes without a matching line', async () => {
    const o = await probeTcp({ query_response: [{ expect: '^220 ' }] }, `127.0.0.1:${closingPort}`);
    expect(o.success).toBe(false);
    expect(o.metrics.get('probe_failed_due_to_regex')).toBe(1);
    expect(o.reason).toBe('step 0: connection closed after 2 lines without a line matching "^220 "');
    expect(o.details.steps).toEqual([{ step: 0, expect: '^220 ', lines_read: 2, last_line: 'second line' }]);
  });

  it('uses source_ip_address', async () => {
    const o = await probeTcp({ source_ip_address: '127.0.0.1' }, `127.0.0.1:${closingPort}`);
    expect(o.success).toBe(true);
    expect((o.details.connection as { local: { address: string } }).local.address).toBe('127.0.0.1');
    const bad = await probeTcp({ source_ip_address: 'not-an-ip' }, `127.0.0.1:${closingPort}`);
    expect(bad.success).toBe(false);
    expect(bad.reason).toBe('source_ip_address "not-an-ip" is not an IP address');
  });

  it('fails with a clear reason on a refused port', async () => {
    const o = await probeTcp({}, `127.0.0.1:${refusedPort}`);
    expect(o.success).toBe(false);
    expect(o.reason).toBe(`connecting to 127.0.0.1:${refusedPort}: connection refused`);
    expect(o.metrics.get('probe_failed_due_to_regex')).toBe(0);
    expect(o.metrics.get('probe_ip_protocol')).toBe(4);
  });

  it('honours the timeout against a server that never sends', async () => {
    const o = await probeTcp({ query_response: [{ expect: '^220' }] }, `127.0.0.1:${silentPort}`, '1s');
    expect(o.success).toBe(false);
    expect(o.reason).toBe('step 0: timed out waiting for a line matching "^220"');
    expect(o.timeoutSeconds).toBe(1);
    // A timeout is not a regex verdict: blackbox leaves probe_failed_due_to_regex at 0 too.
    expect(o.metrics.get('probe_failed_due_to_regex')).toBe(0);
  });
});

describe('tcp prober: query_response', () => {
  it('sends with captures from the previous expect, numbered and named', async () => {
    heard.length = 0;
    const o = await probeTcp(
      {
        query_response: [
          { expect: '^220 (?P<host>[^ ]+) ESMTP (\\S+)', send: 'EHLO ${host} ${2} $$5 $nope' },
          { expect: '^250 SIZE (\\d+)', send: 'NOTE size=$1' },
          { expect: '^250 heard (.*)$' },
          { send: 'QUIT ${1}' },
        ],
      },
      `127.0.0.1:${smtpPort}`,
    );
    expect(o.success, o.reason).toBe(true);
    expect(heard.slice(0, 2)).toEqual(['EHLO mail.test Pulse-test $5 ', 'NOTE size=1000']);
    const steps = o.details.steps as Array<Record<string, unknown>>;
    expect(steps[0]).toMatchObject({ matched_line: '220 mail.test ESMTP Pulse-test ready', send: 'EHLO mail.test Pulse-test $5 ' });
    expect(steps[1]).toMatchObject({ matched_line: '250 SIZE 1000', lines_read: 3, send: 'NOTE size=1000' });
    expect(steps[2]).toMatchObject({ matched_line: '250 heard NOTE size=1000' });
    // Without an expect, blackbox sends the text as written: no expansion.
    expect(steps[3]).toEqual({ step: 3, send: 'QUIT ${1}' });
    expect(o.metrics.get('probe_failed_due_to_regex')).toBe(0);
  });

  it('upgrades with STARTTLS and reports the TLS metrics and certificate', async () => {
    heard.length = 0;
    const o = await probeTcp(
      {
        query_response: [
          { expect: '^220 ', send: 'EHLO prober\r' },
          { expect: '^250-STARTTLS' },
          { expect: '^250 ', send: 'STARTTLS\r' },
          { expect: '^220 ', starttls: true },
          { send: 'NOOP inside' },
          { expect: '^250 heard NOOP inside$' },
        ],
        tls_config: { ca_file: pki.caFile, server_name: 'mail.test' },
      },
      `127.0.0.1:${smtpPort}`,
    );
    expect(o.success, o.reason).toBe(true);
    expect(heard).toContain('tls:NOOP inside');
    expect(o.metrics.get('probe_tls_version_info', { version: 'TLS 1.3' })).toBe(1);
    const notAfter = new Date((o.details.tls as { certificate: { not_after: string } }).certificate.not_after).getTime() / 1000;
    expect(o.metrics.get('probe_ssl_earliest_cert_expiry')).toBe(notAfter);
    expect(o.metrics.get('probe_ssl_last_chain_expiry_timestamp_seconds')).toBe(notAfter);
    expect(o.details.tls).toMatchObject({
      via: 'starttls',
      version: 'TLS 1.3',
      verified: true,
      certificate: { subject: 'CN=mail.test', issuer: 'CN=Pulse Test CA', dns_names: ['localhost', 'mail.test'], ip_addresses: ['127.0.0.1'] },
    });
    const text = exposition(o);
    expect(text).toMatch(/^probe_ssl_last_chain_info\{fingerprint_sha256="[0-9a-f]{64}",issuer="CN=Pulse Test CA",subject="CN=mail.test",subjectalternative="localhost,mail.test",serialnumber="[0-9a-f]+"\} 1$/m);
    expect(text).not.toContain('probe_tls_cipher_info');
    const check = await promtoolCheck(text);
    expect(check.output).toBe('');
    expect(check.exitCode).toBe(0);
  });

  it('fails STARTTLS when the certificate is not trusted', async () => {
    const o = await probeTcp(
      { query_response: [{ expect: '^220 ', send: 'STARTTLS' }, { expect: '^220 ', starttls: true }] },
      `localhost:${smtpPort}`,
    );
    expect(o.success).toBe(false);
    expect(o.reason).toMatch(/^step 1: during the STARTTLS handshake: TLS handshake failed: .*(self[- ]signed|unable to (get|verify))/i);
    expect(o.metrics.has('probe_tls_version_info')).toBe(false);
    expect(o.metrics.get('probe_failed_due_to_regex')).toBe(0);
  });
});

describe('tcp prober: TLS on connect', () => {
  it('verifies the server against tls_config.ca_file and the target name', async () => {
    const o = await probeTcp({ tls: true, tls_config: { ca_file: pki.caFile }, query_response: [{ expect: 'IMAP4rev1' }] }, `localhost:${tlsPort}`);
    expect(o.success, o.reason).toBe(true);
    expect(o.details.tls).toMatchObject({ via: 'connect', verified: true, certificate: { subject: 'CN=mail.test' } });
    expect(o.details.banner).toBe('* OK IMAP4rev1 over TLS');
    const check = await promtoolCheck(exposition(o));
    expect(check.exitCode, check.output).toBe(0);
  });

  it('refuses a name the certificate does not carry', async () => {
    const o = await probeTcp({ tls: true, tls_config: { ca_file: pki.caFile, server_name: 'other.test' } }, `127.0.0.1:${tlsPort}`);
    expect(o.success).toBe(false);
    expect(o.reason).toMatch(/^TLS handshake failed: .*other\.test/);
  });

  it('with insecure_skip_verify reports blackbox’s zero last-chain expiry', async () => {
    const o = await probeTcp({ tls: true, tls_config: { insecure_skip_verify: true } }, `127.0.0.1:${tlsPort}`);
    expect(o.success, o.reason).toBe(true);
    expect(o.metrics.get('probe_ssl_last_chain_expiry_timestamp_seconds')).toBe(-62135596800);
    expect(o.details.tls).toMatchObject({ verified: false });
  });

  it('with insecure_skip_verify verifies nothing, even with a CA file that would verify the chain (as Go)', async () => {
    const o = await probeTcp({ tls: true, tls_config: { insecure_skip_verify: true, ca_file: pki.caFile } }, `127.0.0.1:${tlsPort}`);
    expect(o.success, o.reason).toBe(true);
    expect(o.metrics.get('probe_ssl_last_chain_expiry_timestamp_seconds')).toBe(-62135596800);
    expect(o.details.tls).toMatchObject({ verified: false, verify_error: 'not checked: insecure_skip_verify is set' });
  });

  it('fails the handshake against a plain-text server within the timeout', async () => {
    const o = await probeTcp({ tls: true }, `127.0.0.1:${silentPort}`, '1s');
    expect(o.success).toBe(false);
    expect(o.reason).toBe(`timed out during the TLS handshake with 127.0.0.1:${silentPort}`);
  });
});

describe('tcp prober through /probe', () => {
  const cases: Array<[string, string]> = [
    ['127.0.0.1', 'target must be host:port'],
    ['127.0.0.1:', 'port "" is not a number'],
    ['127.0.0.1:0', 'port 0 is out of range (1-65535)'],
    ['127.0.0.1:65536', 'port 65536 is out of range (1-65535)'],
    ['bad host!:25', '"bad host!" is not a valid hostname or IP address'],
    ['::1', 'target must be host:port'],
    ['http://127.0.0.1:80', '"http://127.0.0.1:80" is not a valid hostname or IP address'],
  ];

  it.each(cases)('refuses target %j with a 400 and a reason', async (target, reason) => {
    const cfg = resolveConfig({ modules: { tcp_connect: { prober: 'tcp' } } });
    const { app } = await buildExporter({ config: cfg });
    const res = await app.inject({ url: `/probe?module=tcp_connect&target=${encodeURIComponent(target)}` });
    expect(res.statusCode).toBe(400);
    expect(res.body).toBe(`${reason}\n`);
    await app.close();
  });

  it('answers a scrape whose exposition promtool accepts', async () => {
    const cfg = resolveConfig({ modules: { smtp: { prober: 'tcp', timeout: '5s', tcp: { query_response: [{ expect: '^220 ' }] } } } });
    const { app } = await buildExporter({ config: cfg });
    const res = await app.inject({ url: `/probe?module=smtp&target=127.0.0.1:${smtpPort}` });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/^probe_success 1$/m);
    const check = await promtoolCheck(res.body);
    expect(check.exitCode, check.output).toBe(0);
    await app.close();
  });
});

describe('tcp module config', () => {
  // The tcp modules of blackbox_exporter 0.23's example.yml, as shipped by Debian.
  const example = `modules:
  tls_connect:
    prober: tcp
    timeout: 5s
    tcp:
      tls: true
  tcp_connect_example:
    prober: tcp
    timeout: 5s
  imap_starttls:
    prober: tcp
    timeout: 5s
    tcp:
      query_response:
        - expect: "OK.*STARTTLS"
        - send: ". STARTTLS"
        - expect: "OK"
        - starttls: true
        - send: ". capability"
        - expect: "CAPABILITY IMAP4rev1"
  smtp_starttls:
    prober: tcp
    timeout: 5s
    tcp:
      query_response:
        - expect: "^220 ([^ ]+) ESMTP (.+)$"
        - send: "EHLO prober\\r"
        - expect: "^250-STARTTLS"
        - send: "STARTTLS\\r"
        - expect: "^220"
        - starttls: true
        - send: "EHLO prober\\r"
        - expect: "^250-AUTH"
        - send: "QUIT\\r"
  irc_banner_example:
    prober: tcp
    timeout: 5s
    tcp:
      query_response:
        - send: "NICK prober"
        - send: "USER prober prober prober :prober"
        - expect: "PING :([^ ]+)"
          send: "PONG \${1}"
        - expect: "^:[^ ]+ 001"
`;

  it("loads blackbox's example tcp modules unchanged, with blackbox's defaults", () => {
    const cfg = parseConfig(example, 'blackbox.yml');
    expect(cfg.modules.tcp_connect_example?.tcp).toEqual({ preferred_ip_protocol: 'ip6', ip_protocol_fallback: true, query_response: [], tls: false });
    expect(cfg.modules.tls_connect?.tcp?.tls).toBe(true);
    expect(cfg.modules.smtp_starttls?.tcp?.query_response[1]).toEqual({ send: 'EHLO prober\r', starttls: false });
    expect(cfg.modules.irc_banner_example?.tcp?.query_response[2]).toEqual({ expect: 'PING :([^ ]+)', send: 'PONG ${1}', starttls: false });
  });

  it('refuses a bad expect regex, an unknown key and a bad protocol with file, line and path', () => {
    const bad = `modules:
  t:
    prober: tcp
    tcp:
      preferred_ip_protocol: ip5
      query_response:
        - expect: "(unclosed"
        - sendd: "x"
`;
    expect(() => parseConfig(bad, 'pulse.yml')).toThrow(
      [
        'pulse.yml:5: modules.t.tcp.preferred_ip_protocol: expected one of "ip4", "ip6"',
        'pulse.yml:7: modules.t.tcp.query_response[0].expect: invalid regular expression: error parsing regexp: missing closing ): `(unclosed`',
        'pulse.yml:8: modules.t.tcp.query_response[1].sendd: unknown key',
      ].join('\n'),
    );
  });
});
