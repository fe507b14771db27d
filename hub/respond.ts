import type { FastifyReply, FastifyRequest } from 'fastify';
import type { LiveMeasurement } from './live.js';

export type AnswerMode = 'json' | 'ndjson' | 'sse' | 'async';

/** Picks the answer form: async when asked, else the first streaming type the client accepts. */
export function answerMode(req: FastifyRequest): AnswerMode {
  const query = req.query as Record<string, unknown> | undefined;
  const prefer = String(req.headers.prefer ?? '');
  if (query?.async === 'true' || /\brespond-async\b/.test(prefer)) return 'async';
  const accept = String(req.headers.accept ?? '').toLowerCase();
  // The type listed first wins; q-values are not weighed (clients ask for one of these).
  const candidates: Array<[AnswerMode, number]> = [
    ['json', accept.indexOf('application/json')],
    ['ndjson', accept.indexOf('application/x-ndjson')],
    ['sse', accept.indexOf('text/event-stream')],
  ];
  const listed = candidates.filter(([, i]) => i >= 0).sort((a, b) => a[1] - b[1]);
  return listed[0]?.[0] ?? 'json';
}

export function measurementUrl(id: string): string {
  return `/api/v1/measurements/${id}`;
}

/**
 * Sends a measurement the way the client asked. Streams write each row as its agent answers; a
 * client that goes away stops the stream, not the measurement (its handle still works).
 */
export async function sendMeasurement(req: FastifyRequest, reply: FastifyReply, live: LiveMeasurement): Promise<unknown> {
  const mode = answerMode(req);
  if (mode === 'async') {
    const url = measurementUrl(live.data.id);
    return reply.code(202).header('location', url).send({ id: live.data.id, url });
  }
  if (mode === 'json') return reply.send(await live.done);

  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    'content-type': mode === 'ndjson' ? 'application/x-ndjson' : 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'x-accel-buffering': 'no',
    'x-pulse-measurement': live.data.id,
  });
  raw.flushHeaders();
  await new Promise<void>((resolve) => {
    let unsubscribe: () => void = () => undefined;
    const finish = () => {
      unsubscribe();
      resolve();
    };
    raw.on('close', finish);
    unsubscribe = live.subscribe((ev) => {
      if (raw.writableEnded || raw.destroyed) return;
      if (ev.kind === 'row') {
        raw.write(mode === 'ndjson' ? `${JSON.stringify(ev.row)}\n` : `event: row\ndata: ${JSON.stringify(ev.row)}\n\n`);
      } else {
        const done = { id: ev.measurement.id, summary: ev.measurement.summary };
        raw.end(mode === 'ndjson' ? `${JSON.stringify({ done: true, ...done })}\n` : `event: done\ndata: ${JSON.stringify(done)}\n\n`);
        finish();
      }
    });
  });
}
