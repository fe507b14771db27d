import { readFile } from 'node:fs/promises';
import { connect as netConnect, type Socket } from 'node:net';
import { type ConnectionOptions, connect as tlsConnect } from 'node:tls';
import WebSocket from 'ws';
import type { WebsocketOptions } from '../../../lib/config/probers/websocket.js';
import { MetricSet } from '../../../lib/probe/metrics.js';
import type { ProbeContext, ProbeResult } from '../../../lib/probe/types.js';
import type { WebsocketDetails } from '../../../lib/probers/details/websocket.js';
import { compileGoRegex } from '../../../lib/regex.js';
import { httpHeaderLines } from '../shared/extra-headers.js';
import { resolveStep } from '../shared/resolve-step.js';
import { readTlsFile } from '../shared/tls-options.js';
import { expandTemplate } from '../shared/expand.js';
import { enforceConnect } from '../../policy/enforce.js';
import { MessageQueue } from './messages.js';
import { WEBSOCKET_METRICS } from './metrics.js';

/**
 * blackbox's websocket prober (main branch): resolve, open the WebSocket (the HTTP upgrade) at the
 * ws:// or wss:// target, then the query_response steps, one message each: `expect` reads a
 * message and matches it, `send` writes one (expanded from the match). The connection goes to the
 * address chosen here, with the URL's host in Host and SNI.
 */
export async function runWebsocket(ctx: ProbeContext<'websocket'>): Promise<ProbeResult> {
  const { options: o, signal, logger } = ctx;
  const metrics = new MetricSet();
  metrics.gauge(...WEBSOCKET_METRICS.upgraded, 0);
  metrics.gauge(...WEBSOCKET_METRICS.statusCode, 0);
  metrics.gauge(...WEBSOCKET_METRICS.failedDueToRegex, 0);
  const details: WebsocketDetails = {};
  const fail = (reason: string): ProbeResult => ({ success: false, reason, metrics, details });
  const url = new URL(ctx.target);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const resolved = await resolveStep(ctx.policy, metrics, host, o, signal, logger);
  if (!resolved.ok) return fail(resolved.reason);
  const { chosen } = resolved;
  metrics.gauge(...WEBSOCKET_METRICS.duration, chosen.lookupSeconds, { phase: 'resolve' });
  details.ip = chosen.address;

  const secure = url.protocol === 'wss:';
  const port = url.port ? Number(url.port) : secure ? 443 : 80;
  const tls = secure ? await tlsOptionsOf(o, host) : undefined;
  // The port too (the agent's own on loopback), then the address actually connected.
  enforceConnect(ctx.policy, chosen.address, port);
  let connectSeconds = 0;
  const dialStarted = performance.now();
  const createConnection = (): Socket => {
    const s = tls ? tlsConnect({ host: chosen.address, port, ...tls }) : netConnect({ host: chosen.address, port });
    s.once('connect', () => {
      try {
        enforceConnect(ctx.policy, s.remoteAddress ?? '', s.remotePort ?? port);
      } catch (err) {
        s.destroy(err as Error);
        return;
      }
      connectSeconds = (performance.now() - dialStarted) / 1000;
      metrics.gauge(...WEBSOCKET_METRICS.duration, connectSeconds, { phase: 'connect' });
    });
    return s;
  };
  const ws = new WebSocket(url, { headers: Object.fromEntries(await headersOf(o)), createConnection, handshakeTimeout: Math.ceil(ctx.timeoutSeconds * 1000), followRedirects: false });
  const onAbort = () => ws.terminate();
  signal.addEventListener('abort', onAbort, { once: true });
  const messages = new MessageQueue(ws);
  try {
    const opened = await new Promise<{ ok: true } | { ok: false; why: string }>((resolve) => {
      ws.once('upgrade', (res) => {
        metrics.gauge(...WEBSOCKET_METRICS.statusCode, res.statusCode ?? 0);
        details.status_code = res.statusCode ?? 0;
      });
      ws.once('unexpected-response', (_req, res) => {
        metrics.gauge(...WEBSOCKET_METRICS.statusCode, res.statusCode ?? 0);
        details.status_code = res.statusCode ?? 0;
        resolve({ ok: false, why: `the server answered the upgrade with HTTP ${res.statusCode}` });
        ws.terminate();
      });
      ws.once('open', () => resolve({ ok: true }));
      ws.once('error', (err) => resolve({ ok: false, why: err.message }));
    });
    metrics.gauge(...WEBSOCKET_METRICS.duration, Math.max(0, (performance.now() - dialStarted) / 1000 - connectSeconds), { phase: 'processing' });
    if (!opened.ok) return fail(signal.aborted ? `timed out opening the WebSocket at ${ctx.target}` : `dialing websocket: ${opened.why}`);
    metrics.gauge(...WEBSOCKET_METRICS.upgraded, 1);
    details.upgraded = true;
    if (o.query_response.length === 0) return { success: true, metrics, details };
    const transferStarted = performance.now();
    try {
      const failure = await dialogue(o, ws, messages, logger);
      if (failure) {
        metrics.gauge(...WEBSOCKET_METRICS.failedDueToRegex, 1);
        return fail(signal.aborted ? 'timed out waiting for a message' : failure);
      }
      return { success: true, metrics, details };
    } finally {
      metrics.gauge(...WEBSOCKET_METRICS.duration, (performance.now() - transferStarted) / 1000, { phase: 'transfer' });
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    ws.terminate();
  }
}

/** wss://: the URL's host in SNI unless tls_config names another, and the files tls_config names. */
async function tlsOptionsOf(o: WebsocketOptions, host: string): Promise<ConnectionOptions> {
  const t = o.http_config?.tls_config ?? {};
  return {
    servername: t.server_name || host,
    rejectUnauthorized: !t.insecure_skip_verify,
    ...(t.ca_file ? { ca: await readTlsFile(t.ca_file, 'ca_file') } : {}),
    ...(t.cert_file ? { cert: await readTlsFile(t.cert_file, 'cert_file') } : {}),
    ...(t.key_file ? { key: await readTlsFile(t.key_file, 'key_file') } : {}),
  };
}

/** The steps; the reason of the first that fails (any failure counts as the regex's, as in blackbox). */
async function dialogue(o: WebsocketOptions, ws: WebSocket, messages: MessageQueue, logger: ProbeContext['logger']): Promise<string | undefined> {
  for (const [i, qr] of o.query_response.entries()) {
    let send = qr.send ?? '';
    if (qr.expect !== undefined && qr.expect !== '') {
      let message: Buffer;
      try {
        message = await messages.next();
      } catch (err) {
        return `step ${i}: reading a message: ${(err as Error).message}`;
      }
      const text = message.toString('utf8');
      const match = compileGoRegex(qr.expect).exec(text);
      if (!match) return `step ${i}: message ${JSON.stringify(text.slice(0, 200))} does not match ${JSON.stringify(qr.expect)}`;
      logger.debug('regexp matched', { regexp: qr.expect });
      send = expandTemplate(send, match);
    }
    if (send !== '') {
      const err = await new Promise<Error | undefined>((resolve) => ws.send(send, (e) => resolve(e ?? undefined)));
      if (err) return `step ${i}: sending a message: ${err.message}`;
    }
  }
  return undefined;
}

/** The upgrade request's headers: http_config's credentials, then `headers` (values, secrets, files). */
async function headersOf(o: WebsocketOptions): Promise<[string, string][]> {
  const out: [string, string][] = [];
  const c = o.http_config ?? {};
  const fromFile = async (file: string | undefined, inline: string | undefined) => (file ? (await readFile(file, 'utf8')).trim() : (inline ?? ''));
  if (c.basic_auth) {
    const user = await fromFile(c.basic_auth.username_file, c.basic_auth.username);
    const pass = await fromFile(c.basic_auth.password_file, c.basic_auth.password);
    out.push(['Authorization', `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`]);
  }
  if (c.authorization) {
    const creds = await fromFile(c.authorization.credentials_file, c.authorization.credentials);
    if (creds) out.push(['Authorization', `${c.authorization.type || 'Bearer'} ${creds}`]);
  }
  const extra = httpHeaderLines(o.headers);
  for (const line of extra instanceof Promise ? await extra : extra) out.push(line);
  return out;
}
