import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Io } from '../../cli/context.js';
import { opCommand } from '../../cli/op.js';
import { runArgv } from '../../cli/program.js';
import type { IssuedCert, TestPki } from '../helpers/tls.js';
import { startTlsUserHub, type TlsUserHub } from '../helpers/tls-hub.js';

/** `pulse` against a hub whose users' port is HTTPS with its own CA and requires client certificates. */
let pki: TestPki;
let user: IssuedCert;
let url = '';
let fleet: TlsUserHub | undefined;

beforeAll(async () => {
  fleet = await startTlsUserHub();
  ({ pki, user, url } = fleet);
});
afterAll(async () => {
  await fleet?.close();
});

async function pulse(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  let opExit = 0;
  const io: Io = {
    stdout: {
      write: (s: string) => {
        out += s;
        return true;
      },
    } as Io['stdout'],
    stderr: {
      write: (s: string) => {
        err += s;
        return true;
      },
    } as Io['stderr'],
    env,
    readStdin: async () => '',
  };
  const code = await runArgv(args, io, () => [opCommand(io, (c) => (opExit = c))]);
  return { code: Math.max(code, opExit), out, err };
}

describe('pulse --cacert/--cert/--key', () => {
  test('without a client certificate the hub cannot be reached (exit 2)', async () => {
    const r = await pulse(['--hub', url, '--cacert', pki.caFile, '--json', 'agents']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^pulse: cannot reach the hub at https:/);
  });

  test('with the options, or the same in PULSE_CACERT/PULSE_CERT/PULSE_KEY, it lists the agents and reads operations', async () => {
    const flags = await pulse(['--hub', url, '--cacert', pki.caFile, '--cert', user.certFile, '--key', user.keyFile, 'agents']);
    expect(flags).toMatchObject({ code: 0, out: 'no agents have registered with this hub yet\n' });
    const env = { PULSE_HUB: url, PULSE_CACERT: pki.caFile, PULSE_CERT: user.certFile, PULSE_KEY: user.keyFile };
    expect((await pulse(['agents'], env)).code).toBe(0);
    // The operations API goes through the same certificate: the hub answers (404), not the TLS layer.
    const get = await pulse(['get', 'op_AAAAAAAAAAAAAAAAAAAAAA'], env);
    expect(get.code).toBe(2);
    expect(get.err).toMatch(/the hub refused the request: .*\(PULSE_NOT_FOUND\)/);
  });

  test('--cert without --key, or an unreadable file, is a usage error (exit 2)', async () => {
    const half = await pulse(['--hub', url, '--cert', user.certFile, 'agents']);
    expect(half.code).toBe(2);
    expect(half.err).toMatch(/--cert and --key go together/);
    const missing = await pulse(['--hub', url, '--cacert', '/nonexistent/ca.crt', 'agents']);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/--cacert \/nonexistent\/ca\.crt: cannot read it \(ENOENT\)/);
  });
});
