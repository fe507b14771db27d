import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { adHocModule } from '../../lib/config/adhoc.js';
import { ConfigError } from '../../lib/config/errors.js';
import { loadConfigFile, parseConfig } from '../../lib/config/load.js';
import { PROBER_NAMES } from '../../lib/config/module.js';
import { isPulseError } from '../../lib/errors.js';

const fixture = (name: string) => join(import.meta.dirname, '../fixtures/config', name);

async function refusal(name: string): Promise<string> {
  try {
    await loadConfigFile(fixture(name));
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).message.replaceAll(`${fixture('')}/`, '');
  }
  throw new Error(`${name} was accepted`);
}

describe('config refusals name the file, the line and the key path', () => {
  it.each([
    ['unknown-key.yml', 'unknown-key.yml:4: modules.tcp_connect.timout: unknown key'],
    ['bad-type.yml', 'bad-type.yml:7: exporter.limits.tcp.concurrency: expected integer'],
    [
      'unknown-prober.yml',
      `unknown-prober.yml:3: modules.weird.prober: expected one of ${PROBER_NAMES.map((n) => `"${n}"`).join(', ')}`,
    ],
    ['bad-duration.yml', 'bad-duration.yml:4: modules.tcp_connect.timeout: expected a duration such as 5s, 500ms or 1m30s'],
    [
      'two-auth-methods.yml',
      'two-auth-methods.yml:4: modules.http_auth.http: at most one of basic_auth, authorization, oauth2 and bearer_token may be configured, found basic_auth, bearer_token',
    ],
    [
      'contains-needs-check.yml',
      'contains-needs-check.yml:3: modules.hosts_line.file_contains: file_contains needs exactly one of the options check (a substring) or regexp',
    ],
    [
      'bad-regex.yml',
      'bad-regex.yml:6: modules.http_body.http.fail_if_body_not_matches_regexp[0]: invalid regular expression: error parsing regexp: missing closing ): `ok(`',
    ],
    ['bad-label.yml', 'bad-label.yml:4: exporter.labels.bad-label: invalid name "bad-label" (must match ^[a-zA-Z_][a-zA-Z0-9_]*$)'],
  ])('%s', async (name, message) => {
    expect(await refusal(name)).toBe(message);
  });

  it('reports YAML syntax errors with their line', async () => {
    expect(await refusal('yaml-syntax.yml')).toMatch(/^yaml-syntax\.yml:4: YAML: /);
  });

  it('refuses duplicate keys instead of keeping the last one silently', async () => {
    expect(await refusal('duplicate-key.yml')).toMatch(/^duplicate-key\.yml:4: YAML: .*[Uu]nique/);
  });

  it('reports every problem at once, in file order', () => {
    const text = 'modules:\n  a:\n    prober: nope\n  b:\n    prober: tcp\n    timeout: x\n';
    try {
      parseConfig(text, 'multi.yml');
      expect.unreachable();
    } catch (err) {
      const lines = (err as ConfigError).message.split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(/^multi\.yml:3: modules\.a\.prober: /);
      expect(lines[1]).toMatch(/^multi\.yml:6: modules\.b\.timeout: /);
    }
  });

  it('refuses a missing file with its name', async () => {
    await expect(loadConfigFile(fixture('nope.yml'))).rejects.toThrow(/nope\.yml: cannot read/);
  });
});

describe('defaults', () => {
  it('starts from a file that holds nothing but modules:', async () => {
    const cfg = await loadConfigFile(fixture('modules-only.yml'));
    expect(cfg.modules.tcp_connect?.prober).toBe('tcp');
    expect(cfg.modules.tcp_connect?.tcp).toBeDefined();
    expect(cfg.exporter.listen).toBe('0.0.0.0:9115');
    expect(cfg.exporter.timeout_offset).toBe('0.5s');
    expect(cfg.exporter.labels).toEqual({});
    expect(cfg.targets).toEqual([]);
    expect(await readFile(fixture('modules-only.yml'), 'utf8')).not.toContain('exporter');
  });

  it('refuses an empty file (or comments only) with the file named, and takes modules: {} said on purpose', () => {
    for (const text of ['', '\n\n', '# nothing yet\n']) {
      expect(() => parseConfig(text, 'empty.yml')).toThrow(/^empty\.yml: the file is empty: write "modules: \{\}"/);
    }
    expect(parseConfig('modules: {}\n', 'none.yml').modules).toEqual({});
  });
});

describe('ad-hoc modules from the hub', () => {
  it.each([
    [{ bearer_token_file: '/etc/pulse/certs/agent.key' }, 'options.bearer_token_file'],
    [{ basic_auth: { username: 'x', password_file: '/etc/shadow' } }, 'options.basic_auth.password_file'],
    [{ tls_config: { ca_file: '/etc/ssl/private/key.pem' } }, 'options.tls_config.ca_file'],
    [{ http_headers: { 'X-Key': { files: ['/etc/pulse/agent.key'] } } }, 'options.http_headers.X-Key.files'],
  ])('refuse options that make the agent read a file (%j)', (options, path) => {
    expect(() => adHocModule('http', options)).toThrow(`${path}: file options are only allowed in pulse.yml modules`);
  });

  it.each([
    ['http', { fail_if_body_matches_regexp: ['^(a+)+$'] }, 'options.fail_if_body_matches_regexp[0]'],
    ['http', { fail_if_header_not_matches: [{ header: 'Server', regexp: 'nginx' }] }, 'options.fail_if_header_not_matches[0].regexp'],
    ['tcp', { query_response: [{ send: 'PING' }, { expect: '^PONG' }] }, 'options.query_response[1].expect'],
    ['dns', { query_name: 'example.org', validate_answer_rrs: { fail_if_matches_regexp: ['x'] } }, 'options.validate_answer_rrs.fail_if_matches_regexp[0]'],
    ['file_contains', { regexp: 'root' }, 'options.regexp'],
  ] as const)('refuse regular expressions (%s %j): they can stall the event loop', (type, options, path) => {
    try {
      adHocModule(type, options);
      expect.unreachable();
    } catch (err) {
      expect(isPulseError(err) && err.code).toBe('PULSE_BAD_OPTIONS');
      expect((err as Error).message).toBe(`${path}: regular expressions are only allowed in pulse.yml modules`);
    }
  });

  it('accept the same probers without regexes, and empty regex lists', () => {
    expect(adHocModule('http', { fail_if_body_matches_regexp: [], valid_status_codes: [200] }).prober).toBe('http');
    expect(adHocModule('tcp', { query_response: [{ send: 'PING' }] }).prober).toBe('tcp');
    expect(adHocModule('file_contains', { check: 'root' }).prober).toBe('file_contains');
  });

  it('apply the cross-option rules of the config file', () => {
    expect(() => adHocModule('http', { bearer_token: 'a', basic_auth: { username: 'u', password: 'p' } })).toThrow(
      /options: at most one of basic_auth, authorization, oauth2 and bearer_token/,
    );
  });

  it('validate like the file and fail as PULSE_BAD_OPTIONS', () => {
    try {
      adHocModule('tcp', { no_such_option: true });
      expect.unreachable();
    } catch (err) {
      expect(isPulseError(err) && err.code).toBe('PULSE_BAD_OPTIONS');
      expect((err as Error).message).toBe('options.no_such_option: unknown key');
    }
  });
});
