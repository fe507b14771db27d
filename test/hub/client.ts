import type { Measurement, Row } from '../../hub/measurement.js';

/** POSTs JSON to the hub's users' port. */
export function post(base: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

export async function measure(base: string, body: unknown, path = '/api/v1/measurements'): Promise<Measurement> {
  const res = await post(base, path, body);
  if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
  return (await res.json()) as Measurement;
}

export type StreamLine = Row | { done: true; id: string; summary: Record<string, number> };

/** Reads an NDJSON answer line by line, calling `onLine` as each one arrives. */
export async function readNdjson(res: Response, onLine: (line: StreamLine) => void | Promise<void>): Promise<StreamLine[]> {
  const lines: StreamLine[] = [];
  const decoder = new TextDecoder();
  let buf = '';
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buf += decoder.decode(chunk, { stream: true });
    let nl = buf.indexOf('\n');
    while (nl >= 0) {
      const line = JSON.parse(buf.slice(0, nl)) as StreamLine;
      buf = buf.slice(nl + 1);
      lines.push(line);
      await onLine(line);
      nl = buf.indexOf('\n');
    }
  }
  return lines;
}

export function rowsByAgent(m: { rows: Row[] }): Record<string, Row> {
  return Object.fromEntries(m.rows.map((r) => [r.agent, r]));
}
