import { AttributeTypeAndValue, AttributeValue, Name, RelativeDistinguishedName } from '@peculiar/asn1-x509';
import { describe, expect, it } from 'vitest';
import {
  bodyMatch,
  contentLength,
  headerReason,
  parseByteSize,
  parseHttpDate,
  statusReason,
  versionNumber,
  versionReason,
} from '../../../exporter/probers/http/checks.js';
import { goNameString, goStringDer } from '../../../exporter/probers/shared/go-name.js';
import { CookieJar, redirectStep, refererFor, requestHeaders } from '../../../exporter/probers/http/request.js';
import { parseEndpoint, parseHttpTarget } from '../../../exporter/probers/http/target.js';
import { sumPhases } from '../../../exporter/probers/http/timeline.js';
import { tlsVersionLabel } from '../../../exporter/probers/shared/tls-info.js';
import { httpProber } from '../../../exporter/probers/http.js';
import { parseConfig } from '../../../lib/config/load.js';
import type { HttpOptions } from '../../../lib/config/probers/http.js';

const defaults = (over: Partial<HttpOptions> = {}): HttpOptions => {
  const cfg = parseConfig('modules:\n  m:\n    prober: http\n');
  return { ...(cfg.modules.m!.http as HttpOptions), ...over };
};

describe('target parsing', () => {
  it.each([
    ['127.0.0.1:8080/x', 'http://127.0.0.1:8080/x', 8080, false],
    ['https://example.test/', 'https://example.test/', 443, true],
    ['http://[::1]:9/', 'http://[::1]:9/', 9, false],
    ['localhost', 'http://localhost/', 80, false],
  ])('%s', (input, url, port, tls) => {
    const t = parseHttpTarget(input);
    if (typeof t === 'string') throw new Error(t);
    expect(t.url.toString()).toBe(url);
    expect(t.port).toBe(port);
    expect(t.tls).toBe(tls);
  });

  it.each([
    ['ftp://host/', 'unsupported URL scheme "ftp" (the http prober speaks http:// and https://)'],
    ['http://', '"http://" is not a valid URL'],
    ['http://exa mple/', '"http://exa mple/" is not a valid URL'],
    ['http://bad_host!/', '"http://bad_host!/" has no valid host'],
  ])('refuses %s', (input, reason) => {
    expect(parseHttpTarget(input)).toBe(reason);
  });

  it('parses endpoints with the URL port as default', () => {
    expect(parseEndpoint('10.0.0.1', 8443)).toEqual({ host: '10.0.0.1', port: 8443 });
    expect(parseEndpoint('[::1]:99', 80)).toEqual({ host: '::1', port: 99 });
    expect(parseEndpoint('host:99999', 80)).toBe('endpoint: port 99999 is out of range (1-65535)');
  });
});

describe('validateTarget (400 reasons)', () => {
  it('refuses bad targets and inconsistent options before probing', () => {
    expect(httpProber.validateTarget('gopher://x/', defaults())).toMatch(/unsupported URL scheme/);
    expect(httpProber.validateTarget('http://x/', defaults({ endpoint: 'a b' }))).toBe('endpoint: "a b" is not a valid hostname or IP address');
    expect(httpProber.validateTarget('http://x/', defaults({ headers_only: true, fail_if_body_matches_regexp: ['x'] }))).toMatch(/^headers_only cannot be combined/);
    expect(httpProber.validateTarget('http://x/', defaults({ compression: 'gzip', headers: { 'Accept-Encoding': 'br' } }))).toBe(
      'invalid configuration "Accept-Encoding: br", "compression: gzip"',
    );
    expect(httpProber.validateTarget('http://x/', defaults({ compression: 'gzip', headers: { 'accept-encoding': 'br, gzip;q=0.5' } }))).toBeUndefined();
    expect(httpProber.validateTarget('http://x/', defaults({ basic_auth: { username: 'a', password: 'b' }, bearer_token: 't' }))).toBe(
      'at most one of basic_auth, authorization, oauth2 and bearer_token may be configured, found basic_auth, bearer_token',
    );
    expect(httpProber.validateTarget('http://x/', defaults({ proxy_url: 'http://u:p@[bad/' }))).toBe('proxy_url is not a valid URL');
    expect(httpProber.validateTarget('http://x/', defaults())).toBeUndefined();
  });
});

describe('response checks', () => {
  it('status codes', () => {
    expect(statusReason(204, [])).toBeUndefined();
    expect(statusReason(301, [])).toBe('HTTP status 301, wanted 2xx');
    expect(statusReason(301, [301])).toBeUndefined();
  });

  it('header regexps with repeated headers and allow_missing', () => {
    const headers: [string, string][] = [
      ['Set-Cookie', 'a=1'],
      ['set-cookie', 'b=2'],
      ['Server', 'nginx'],
    ];
    expect(headerReason(headers, [{ header: 'set-cookie', regexp: '^b=', allow_missing: false }], [])).toBe(
      'header set-cookie matched fail_if_header_matches /^b=/',
    );
    expect(headerReason(headers, [], [{ header: 'Set-Cookie', regexp: '^b=', allow_missing: false }])).toBeUndefined();
    expect(headerReason(headers, [], [{ header: 'X-Missing', regexp: '.', allow_missing: true }])).toBeUndefined();
    expect(headerReason(headers, [{ header: 'server', regexp: '(?i)NGINX', allow_missing: false }], [])).toMatch(/matched/);
  });

  it('body regexps report which rule failed and what matched', () => {
    expect(bodyMatch('status: ok', ['error'], ['ok$'])).toEqual({ checked: true, matched: ['ok$'] });
    expect(bodyMatch('status: error', ['error'], ['ok$'])).toEqual({
      checked: true,
      matched: ['error'],
      failed_regexp: 'error',
      failed_rule: 'fail_if_body_matches_regexp',
    });
  });

  it('HTTP versions as Go names them', () => {
    expect(versionReason('1.1', ['HTTP/1.1', 'HTTP/2.0'])).toBeUndefined();
    expect(versionReason('2.0', ['HTTP/1.1'])).toBe('HTTP version HTTP/2.0 is not one of valid_http_versions [HTTP/1.1]');
    expect(versionNumber('2.0')).toBe(2);
    expect(versionNumber('1.0')).toBe(1);
  });

  it('parses the three HTTP date layouts Go accepts, nothing else', () => {
    const t = Date.UTC(1994, 10, 6, 8, 49, 37) / 1000;
    expect(parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT')).toBe(t);
    expect(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT')).toBe(t);
    expect(parseHttpDate('Sun Nov  6 08:49:37 1994')).toBe(t);
    expect(parseHttpDate('2015-10-21T07:28:00Z')).toBeUndefined();
    expect(parseHttpDate(undefined)).toBeUndefined();
  });

  it('byte sizes in Go units (powers of 1024)', () => {
    expect(parseByteSize('512B')).toBe(512);
    expect(parseByteSize('1KB')).toBe(1024);
    expect(parseByteSize('1KiB')).toBe(1024);
    expect(parseByteSize('1.5MB')).toBe(1572864);
    expect(parseByteSize(0)).toBe(0);
  });

  it('content length as Go reports it', () => {
    expect(contentLength(200, 'GET', [['Content-Length', '12']])).toBe(12);
    expect(contentLength(200, 'GET', [['Transfer-Encoding', 'chunked']])).toBe(-1);
    expect(contentLength(200, 'GET', [])).toBe(-1);
    expect(contentLength(204, 'GET', [])).toBe(0);
    expect(contentLength(200, 'HEAD', [['Content-Length', '99']])).toBe(99);
  });
});

describe('requests and redirects', () => {
  it('orders headers: configured first (Host excluded), then what the client adds', () => {
    expect(
      requestHeaders({ configured: { Host: 'h', 'X-A': '1' }, authorization: 'Basic x', userAgent: 'Pulse/1', compression: 'gzip', cookie: 'a=1', crossHost: false }),
    ).toEqual([
      ['X-A', '1'],
      ['User-Agent', 'Pulse/1'],
      ['Accept-Encoding', 'gzip'],
      ['Authorization', 'Basic x'],
      ['Cookie', 'a=1'],
    ]);
    expect(requestHeaders({ configured: { Authorization: 'Bearer own', 'User-Agent': 'mine' }, userAgent: 'Pulse/1', compression: '', crossHost: false })).toEqual([
      ['Authorization', 'Bearer own'],
      ['User-Agent', 'mine'],
    ]);
    // Hand-set credentials are not sent to another host after a redirect, as in Go.
    expect(requestHeaders({ configured: { Authorization: 'Bearer own', Cookie: 'x=1' }, userAgent: 'Pulse/1', compression: '', crossHost: true })).toEqual([
      ['User-Agent', 'Pulse/1'],
    ]);
  });

  it('follows Go\'s redirect rules', () => {
    const base = new URL('http://a.test/x/y');
    expect(redirectStep(200, '/z', base, 'GET')).toBeUndefined();
    expect(redirectStep(302, undefined, base, 'GET')).toBeUndefined();
    expect(redirectStep(302, 'z', base, 'POST')).toMatchObject({ method: 'GET', keepBody: false, relative: true });
    expect(redirectStep(302, 'z', base, 'POST')!.url.toString()).toBe('http://a.test/x/z');
    expect(redirectStep(303, '/z', base, 'HEAD')).toMatchObject({ method: 'HEAD' });
    expect(redirectStep(308, 'https://b.test/', base, 'PUT')).toMatchObject({ method: 'PUT', keepBody: true, relative: false });
    expect(redirectStep(301, '//c.test/p', base, 'GET')).toMatchObject({ relative: false });
    expect(() => redirectStep(301, 'mailto:x@y', base, 'GET')).toThrow('redirect to unsupported URL "mailto:x@y"');
  });

  it('sets Referer like Go', () => {
    expect(refererFor(new URL('http://u:p@a.test/x#f'), new URL('http://b.test/'))).toBe('http://a.test/x');
    expect(refererFor(new URL('https://a.test/'), new URL('http://a.test/'))).toBeUndefined();
  });

  it('keeps cookies per host', () => {
    const jar = new CookieJar();
    jar.store('a.test', ['s=1; Path=/; HttpOnly', 't=2']);
    jar.store('a.test', ['s=3']);
    expect(jar.header('a.test')).toBe('s=3; t=2');
    expect(jar.header('b.test')).toBeUndefined();
  });
});

describe('phases', () => {
  it('sums phases over round trips, counting only what each reached', () => {
    const phases = sumPhases(
      [
        { start: 0, dnsDone: 0, connectDone: 10, responseStart: 30 },
        { start: 100, dnsDone: 105, connectDone: 110, tlsDone: 130, responseStart: 150, end: 170 },
        { start: 200, dnsDone: 200 },
      ],
      0.002,
    );
    expect(phases.resolve).toBeCloseTo(0.002 + 0.005, 9);
    expect(phases.connect).toBeCloseTo(0.01 + 0.005, 9);
    expect(phases.tls).toBeCloseTo(0.02, 9);
    expect(phases.processing).toBeCloseTo(0.02 + 0.02, 9);
    expect(phases.transfer).toBeCloseTo(0.02, 9);
  });
});

describe('certificate names as Go prints them', () => {
  const atv = (type: string, value: Partial<AttributeValue>) => new AttributeTypeAndValue({ type, value: new AttributeValue(value) });
  it('reorders, groups and escapes like pkix.Name.String()', () => {
    const name = new Name([
      new RelativeDistinguishedName([atv('2.5.4.6', { printableString: 'DE' })]),
      new RelativeDistinguishedName([atv('2.5.4.3', { utf8String: ' lead, "quoted"' })]),
      new RelativeDistinguishedName([atv('2.5.4.11', { utf8String: 'b' })]),
      new RelativeDistinguishedName([atv('2.5.4.11', { utf8String: 'a;b' })]),
      new RelativeDistinguishedName([atv('0.9.2342.19200300.100.1.25', { ia5String: 'example' })]),
    ]);
    expect(goNameString(name)).toBe('CN=\\ lead\\, \\"quoted\\",OU=b+OU=a\\;b,C=DE,0.9.2342.19200300.100.1.25=#13076578616d706c65');
  });

  it('re-encodes unknown attribute values as Go marshals strings', () => {
    expect(goStringDer('abc').toString('hex')).toBe('1303616263');
    expect(goStringDer('a@b').toString('hex')).toBe('0c03614062');
    expect(goStringDer('x'.repeat(200)).subarray(0, 3).toString('hex')).toBe('1381c8');
  });

  it('labels TLS versions like blackbox', () => {
    expect(tlsVersionLabel('TLSv1.3')).toBe('TLS 1.3');
    expect(tlsVersionLabel('TLSv1')).toBe('TLS 1.0');
    expect(tlsVersionLabel(null)).toBe('unknown');
  });
});

describe('config schema', () => {
  it('applies blackbox defaults', () => {
    const o = defaults();
    expect(o).toMatchObject({
      method: 'GET',
      follow_redirects: true,
      preferred_ip_protocol: 'ip6',
      ip_protocol_fallback: true,
      enable_http2: true,
      valid_status_codes: [],
      headers_only: false,
      body_size_limit: 0,
    });
  });

  it.each([
    ['oauth2: {client_id: a}', 'f.yml:5: modules.m.http.oauth2: missing required key "token_url"'],
    ['enable_http3: true', 'f.yml:5: modules.m.http.enable_http3: blackbox_exporter option not supported by Pulse yet: Node.js has no HTTP/3 (QUIC) client'],
    ['{body: x, body_file: /tmp/x}', 'f.yml:4: modules.m.http: setting body and body_file both are not allowed'],
    ['no_proxy: localhost', 'f.yml:4: modules.m.http: if no_proxy is configured, proxy_url must also be configured'],
    ['fail_if_body_json_matches_cel: "body.a ==="', 'f.yml:5: modules.m.http.fail_if_body_json_matches_cel: could not compile CEL program'],
    ['valid_status_codes: [200, "x"]', 'f.yml:5: modules.m.http.valid_status_codes[1]: expected integer'],
    ['compression: zstd', 'f.yml:5: modules.m.http.compression: expected one of "", "identity", "gzip", "deflate", "br"'],
    ['body_size_limit: 1024', 'f.yml:5: modules.m.http.body_size_limit: does not match any accepted form'],
    ['fail_if_header_matches: [{header: a}]', 'f.yml:5: modules.m.http.fail_if_header_matches[0]: missing required key "regexp"'],
    ['valid_http_versions: ["HTTP/3.0"]', 'f.yml:4: modules.m.http: HTTP/3 cannot be used as a valid HTTP version when enable_http3 is false'],
    ['proxy_url: socks5://x', 'f.yml:5: modules.m.http.proxy_url: expected an http:// or https:// URL'],
  ])('refuses %s', (line, message) => {
    expect(() => parseConfig(`modules:\n  m:\n    prober: http\n    http:\n      ${line}\n`, 'f.yml')).toThrow(message);
  });

  it('loads a typical blackbox.yml http module unchanged', () => {
    const cfg = parseConfig(
      [
        'modules:',
        '  http_post_2xx:',
        '    prober: http',
        '    timeout: 5s',
        '    http:',
        '      method: POST',
        '      valid_http_versions: ["HTTP/1.1", "HTTP/2.0"]',
        '      valid_status_codes: []',
        '      headers:',
        '        Content-Type: application/json',
        '      body: \'{}\'',
        '      no_follow_redirects: false',
        '      fail_if_ssl: false',
        '      fail_if_not_ssl: true',
        '      fail_if_body_matches_regexp: ["Could not connect to database"]',
        '      fail_if_body_not_matches_regexp: ["Download the latest version here"]',
        '      fail_if_header_matches:',
        '        - header: Set-Cookie',
        '          allow_missing: true',
        '          regexp: \'.*\'',
        '      fail_if_header_not_matches:',
        '        - header: Access-Control-Allow-Origin',
        '          regexp: \'(\\*|example\\.com)\'',
        '      tls_config:',
        '        insecure_skip_verify: false',
        '        min_version: TLS12',
        '      preferred_ip_protocol: ip4',
        '      ip_protocol_fallback: false',
        '      basic_auth: {username: u, password: p}',
        '      proxy_url: http://user:pass@proxy.example:3128',
        '      compression: gzip',
        '      body_size_limit: 10MB',
        '      enable_http2: false',
      ].join('\n'),
      'bb.yml',
    );
    expect(cfg.modules.http_post_2xx!.http).toMatchObject({ method: 'POST', compression: 'gzip', body_size_limit: '10MB', no_follow_redirects: false });
  });
});
