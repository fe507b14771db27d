import { checkServerIdentity, createSecureContext, type PeerCertificate, type SecureContext } from 'node:tls';
import { Agent, errors, request } from 'undici';
import { peerCommonName } from '../lib/pki.js';
import type { RunRequest, RunResponse } from '../lib/wire.js';

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

const MAX_ANSWER_BYTES = 8 * 1024 * 1024;

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
      const text = await readLimited(res.body, MAX_ANSWER_BYTES);
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        return { kind: 'error', status: res.statusCode, message: `agent answered HTTP ${res.statusCode} with a body that is not JSON` };
      }
      if (res.statusCode !== 200) {
        const msg = (json as { error?: { message?: unknown } })?.error?.message;
        return { kind: 'error', status: res.statusCode, message: typeof msg === 'string' ? msg : `agent answered HTTP ${res.statusCode}` };
      }
      return { kind: 'answer', response: json as RunResponse };
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

async function readLimited(body: AsyncIterable<Buffer>, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > limit) throw new Error(`agent answer larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function describe(err: unknown): string {
  const e = err as Error & { code?: string; cause?: Error & { code?: string } };
  if (e instanceof errors.SocketError) return `connection lost: ${e.message}`;
  const inner = e.cause ?? e;
  return inner.code ? `${inner.code}: ${inner.message}` : inner.message;
}
