import { checkServerIdentity, createSecureContext, type PeerCertificate, type SecureContext } from 'node:tls';
import { Agent, errors, request } from 'undici';
import { peerCommonName } from '../lib/pki.js';
import type { RunRequest, RunResponse } from '../lib/wire.js';
import type { RelayOutcome, RelayRequest } from './links/types.js';

export interface ClientTls {
  ca: string | Buffer;
  cert: string | Buffer;
  key: string | Buffer;
}

/** What came of one call to an agent's /api/v1/run. */
export type CallOutcome =
  | { kind: 'answer'; response: RunResponse }
  | { kind: 'error'; status: number; message: string }
  | { kind: 'unreachable'; message: string }
  | { kind: 'timeout' };

export const MAX_ANSWER_BYTES = 8 * 1024 * 1024;
/** A relayed /probe or /metrics answer; an exporter's own metrics are well under this. */
export const MAX_RELAY_BYTES = 32 * 1024 * 1024;

/**
 * Calls agents over mutual TLS. Each agent has its own undici dispatcher: connections stay alive
 * between tests (no TLS handshake per call), and the agent's server certificate must carry the
 * agent's name as CN, so an agent cannot announce another agent's URL and answer in its place.
 */
export class AgentCaller {
  private readonly dispatchers = new Map<string, Agent>();
  /**
   * One TLS context for every agent connection: building one parses the CA, certificate and key,
   * which took about a quarter of the hub's CPU when it opened connections to 1,000 agents.
   */
  private readonly secureContext: SecureContext;

  constructor(
    tls: ClientTls,
    private readonly opts: { connectionsPerAgent?: number } = {},
  ) {
    this.secureContext = createSecureContext({ ca: tls.ca, cert: tls.cert, key: tls.key });
  }

  private dispatcher(name: string): Agent {
    let d = this.dispatchers.get(name);
    if (!d) {
      d = new Agent({
        connect: {
          secureContext: this.secureContext,
          rejectUnauthorized: true,
          checkServerIdentity: (host: string, cert: PeerCertificate) => {
            const err = checkServerIdentity(host, cert);
            if (err) return err;
            const cn = peerCommonName(cert);
            return cn === name ? undefined : new Error(`the server at ${host} is "${cn ?? 'no CN'}", not agent "${name}"`);
          },
        },
        connections: this.opts.connectionsPerAgent ?? 16,
        keepAliveTimeout: 30_000,
      });
      this.dispatchers.set(name, d);
    }
    return d;
  }

  async run(agent: { name: string; url: string }, body: RunRequest, signal: AbortSignal): Promise<CallOutcome> {
    const agentUrl = agent.url;
    let url: URL;
    try {
      url = new URL('/api/v1/run', agentUrl);
    } catch {
      return { kind: 'unreachable', message: `agent URL "${agentUrl}" is not valid` };
    }
    try {
      const res = await request(url, {
        method: 'POST',
        dispatcher: this.dispatcher(agent.name),
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
        signal,
      });
      return runOutcome(res.statusCode, (await readLimited(res.body, MAX_ANSWER_BYTES)).toString('utf8'));
    } catch (err) {
      if (signal.aborted) return { kind: 'timeout' };
      return { kind: 'unreachable', message: describe(err) };
    }
  }

  /** A GET on the agent (the Prometheus relay), answered byte for byte. */
  async relay(agent: { name: string; url: string }, req: RelayRequest, signal: AbortSignal): Promise<RelayOutcome> {
    let url: URL;
    try {
      url = new URL(req.path, agent.url);
    } catch {
      return { kind: 'unreachable', message: `agent URL "${agent.url}" is not valid` };
    }
    try {
      const res = await request(url, { method: 'GET', dispatcher: this.dispatcher(agent.name), headers: req.headers, signal });
      const body = await readLimited(res.body, MAX_RELAY_BYTES);
      const type = res.headers['content-type'];
      return { kind: 'answer', status: res.statusCode, contentType: typeof type === 'string' ? type : undefined, body };
    } catch (err) {
      if (signal.aborted) return { kind: 'timeout' };
      return { kind: 'unreachable', message: describe(err) };
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.dispatchers.values()].map((d) => d.destroy()));
    this.dispatchers.clear();
  }
}

/** What an agent's answer to POST /api/v1/run means, whichever link carried it. */
export function runOutcome(status: number, text: string): CallOutcome {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { kind: 'error', status, message: `agent answered HTTP ${status} with a body that is not JSON` };
  }
  if (status !== 200) {
    const msg = (json as { error?: { message?: unknown } })?.error?.message;
    return { kind: 'error', status, message: typeof msg === 'string' ? msg : `agent answered HTTP ${status}` };
  }
  return { kind: 'answer', response: json as RunResponse };
}

export async function readLimited(body: AsyncIterable<Buffer>, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > limit) throw new Error(`agent answer larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function describe(err: unknown): string {
  const e = err as Error & { code?: string; cause?: Error & { code?: string } };
  if (e instanceof errors.SocketError) return `connection lost: ${e.message}`;
  const inner = e.cause ?? e;
  return inner.code ? `${inner.code}: ${inner.message}` : inner.message;
}
