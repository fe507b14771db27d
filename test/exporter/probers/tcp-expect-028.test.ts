// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${1} and ${name} are Go Regexp.Expand references, meant literally
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../lib/config/load.js';
import { close, exposition, listen, probeTcp } from './tcp-helpers.js';

/** blackbox 0.25+'s query_response additions: expect_bytes, and labels making probe_expect_info. */
let ssh: Server;
let pg: Server;
let sshPort: number;
let pgPort: number;

beforeAll(async () => {
  ssh = createServer((s) => s.end('SSH-2.0-OpenSSH_9.6 Debian-1\r\n'));
  // A PostgreSQL-like server: answers its SSLRequest with one byte, 'S' or 'N' by the request's last byte.
  pg = createServer((s) => s.once('data', (d) => s.end(d.at(-2) === 0x2f ? 'S' : 'N')));
  sshPort = await listen(ssh);
  pgPort = await listen(pg);
});

afterAll(async () => {
  await Promise.all([close(ssh), close(pg)]);
});

describe('tcp query_response labels → probe_expect_info', () => {
  it('exports the matched groups as labels', async () => {
    const out = await probeTcp(
      {
        query_response: [
          {
            expect: '^SSH-2.0-([^ -]+)(?: (.*))?$',
            labels: [
              { name: 'ssh_version', value: '${1}' },
              { name: 'ssh_comments', value: '${2}' },
            ],
          },
        ],
      },
      `127.0.0.1:${sshPort}`,
    );
    expect(out.reason).toBeUndefined();
    expect(out.metrics.get('probe_expect_info', { ssh_version: 'OpenSSH_9.6', ssh_comments: 'Debian-1' })).toBe(1);
    expect(exposition(out)).toContain('# HELP probe_expect_info Explicit content matched\n');
  });
});

describe('tcp query_response expect_bytes', () => {
  const steps = (expect_bytes: string) => [{ send: '\u0000\u0000\u0000\u0008\u0004\u00d2\u0016/' }, { expect_bytes }];

  it('passes when the bytes read are the bytes expected, with probe_failed_due_to_bytes 0', async () => {
    const out = await probeTcp({ query_response: steps('S') }, `127.0.0.1:${pgPort}`);
    expect(out.reason).toBeUndefined();
    expect(out.metrics.get('probe_failed_due_to_bytes')).toBe(0);
  });

  it('fails with probe_failed_due_to_bytes 1 on other bytes', async () => {
    const out = await probeTcp({ query_response: [{ send: 'x' }, { expect_bytes: 'S' }] }, `127.0.0.1:${pgPort}`);
    expect(out.success).toBe(false);
    expect(out.reason).toBe('step 1: read bytes 4e, expected 53');
    expect(out.metrics.get('probe_failed_due_to_bytes')).toBe(1);
    expect(out.metrics.get('probe_failed_due_to_regex')).toBe(0);
  });

  it('fails a short read without calling it a mismatch, as blackbox', async () => {
    const out = await probeTcp({ query_response: [{ send: 'x' }, { expect_bytes: 'SSL' }] }, `127.0.0.1:${pgPort}`);
    expect(out.reason).toBe('step 1: read 1 of the 3 expected bytes');
    expect(out.metrics.get('probe_failed_due_to_bytes')).toBe(0);
  });

  it('sends a `send: !!binary` step as its bytes, as Go decodes it (PostgreSQL SSLRequest)', async () => {
    const yml = `modules:\n  pg:\n    prober: tcp\n    tcp:\n      query_response:\n        - send: !!binary AAAACATSFi8=\n        - expect_bytes: S\n`;
    const cfg = parseConfig(yml, 'pg.yml');
    expect(cfg.modules.pg!.tcp!.query_response[0]).toEqual({ send_bytes: 'AAAACATSFi8=', starttls: false });
    const seen: Buffer[] = [];
    const exact = createServer((s) => s.once('data', (d) => (seen.push(d), s.end(d.subarray(0, 8).equals(Buffer.from('AAAACATSFi8=', 'base64')) ? 'S' : 'N'))));
    const port = await listen(exact);
    try {
      const out = await probeTcp(cfg.modules.pg!.tcp!, `127.0.0.1:${port}`);
      expect(out.reason).toBeUndefined();
      expect(seen[0]).toEqual(Buffer.from([0, 0, 0, 8, 4, 0xd2, 0x16, 0x2f, 0x0a]));
    } finally {
      await close(exact);
    }
  });

  it('refuses a step with both expect and expect_bytes, as blackbox', () => {
    const yml = 'modules:\n  t:\n    prober: tcp\n    tcp:\n      query_response:\n        - expect: "^S"\n          expect_bytes: S\n';
    expect(() => parseConfig(yml, 'b.yml')).toThrow('b.yml:4: modules.t.tcp: query_response[0]: expect and expect_bytes are mutually exclusive');
  });
});
