import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildExporter, type Exporter } from '../../exporter/server.js';
import { parseConfig } from '../../lib/config/load.js';
import { type Fleet, startFleet } from '../helpers/fleet.js';

/** Errors raised before any route (URL or headers too large, broken chunked bodies) in Pulse's error shape, on both programs. */

/** Sends raw bytes, returns the status code and the parsed JSON body of the answer. */
function raw(port: number, head: string, body?: Buffer): Promise<{ status: number; json: { error?: { code: string; message: string } } }> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => {
      s.write(head);
      if (body) s.write(body);
    });
    let out = '';
    s.on('data', (d) => {
      out += d.toString();
    });
    s.on('error', () => undefined);
    const timer = setTimeout(() => s.destroy(), 5000);
    s.on('close', () => {
      clearTimeout(timer);
      const m = /^HTTP\/1\.1 (\d{3})/.exec(out);
      const at = out.indexOf('\r\n\r\n');
      if (!m || at < 0) return reject(new Error(`no answer: ${JSON.stringify(out.slice(0, 200))}`));
      const rest = out.slice(at + 4);
      const text = /transfer-encoding: chunked/i.test(out.slice(0, at)) ? rest.split('\r\n')[1] ?? '' : rest;
      resolve({ status: Number(m[1]), json: JSON.parse(text) as { error?: { code: string; message: string } } });
    });
  });
}

const chunkedHead = (path: string) => `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n`;
const mib = 'a'.repeat(0x100000);

const cases = (path: string): Array<[string, string, Buffer | undefined, number, string, RegExp]> => [
  ['a URL over 8 KiB', `GET /metrics?x=${'a'.repeat(9000)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`, undefined, 414, 'PULSE_URL_TOO_LONG', /more than 8192/],
  ['a URL over 16 KiB', `GET /metrics?x=${'a'.repeat(70_000)} HTTP/1.1\r\nHost: x\r\n\r\n`, undefined, 431, 'PULSE_HEADERS_TOO_LARGE', /larger than 16 KiB/],
  ['headers over 16 KiB', `GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(70_000)}\r\n\r\n`, undefined, 431, 'PULSE_HEADERS_TOO_LARGE', /headers/],
  ['a bad chunk size', `${chunkedHead(path)}zz\r\nabc\r\n0\r\n\r\n`, undefined, 400, 'PULSE_BAD_REQUEST', /chunk/],
  ['a chunked body too large', chunkedHead(path), Buffer.from(`100000\r\n${mib}\r\n100000\r\n${mib}\r\n0\r\n\r\n`), 413, 'PULSE_PAYLOAD_TOO_LARGE', /too large|larger than/],
];

function table(name: string, port: () => number, path: string) {
  describe(name, () => {
    for (const [what, head, body, status, code, message] of cases(path)) {
      test(`${what}: ${status} ${code}`, async () => {
        const res = await raw(port(), head, body);
        expect(res.status).toBe(status);
        expect(res.json.error?.code).toBe(code);
        expect(res.json.error?.message).toMatch(message);
      });
    }
  });
}

let fleet: Fleet;
let exporter: Exporter;
let exporterPort = 0;
beforeAll(async () => {
  fleet = await startFleet({ agents: [] });
  exporter = await buildExporter({ config: parseConfig('modules: {}\n', 'pulse.yml') });
  exporterPort = Number(new URL(await exporter.app.listen({ host: '127.0.0.1', port: 0 })).port);
}, 30_000);
afterAll(async () => {
  await exporter?.app.close();
  await fleet?.close();
});

table('hub users\' port', () => Number(new URL(fleet.hubUrl).port), '/api/v1/measurements');
table('exporter', () => exporterPort, '/api/v1/run');
