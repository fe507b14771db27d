import { readFile } from 'node:fs/promises';
import { Agent, request } from 'undici';
import type { OAuth2 } from '../../../lib/config/probers/http-client.js';
import { tlsClientOptions } from '../shared/tls-options.js';

/**
 * `oauth2`, the client-credentials grant as Go's golang.org/x/oauth2/clientcredentials runs it:
 * POST grant_type=client_credentials (with scope and endpoint_params) to token_url, the client's
 * id and secret in Basic auth; the token is reused until 10 seconds before it expires.
 */
interface CachedToken {
  header: string;
  /** performance.now() after which a new token is fetched; Infinity without expires_in. */
  refreshAt: number;
}

const tokens = new Map<string, CachedToken>();
/** Go's oauth2 expiryDelta: a token this close to expiry is treated as expired. */
const EXPIRY_DELTA_MS = 10_000;
const MAX_TOKEN_RESPONSE = 1024 * 1024;

export async function oauth2Header(cfg: OAuth2, signal: AbortSignal): Promise<string> {
  const secret = cfg.client_secret_file ? (await readFile(cfg.client_secret_file, 'utf8')).trim() : (cfg.client_secret ?? '');
  const key = JSON.stringify([cfg, secret]);
  const cached = tokens.get(key);
  if (cached && performance.now() < cached.refreshAt) return cached.header;
  const fresh = await fetchToken(cfg, secret, signal);
  tokens.set(key, fresh);
  return fresh.header;
}

/** The form body of the token request (pure, for tests). */
export function tokenRequestBody(cfg: OAuth2): string {
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  if (cfg.scopes.length > 0) form.set('scope', cfg.scopes.join(' '));
  for (const [k, v] of Object.entries(cfg.endpoint_params)) form.set(k, v);
  return form.toString();
}

/** Go's Token.Type(): the usual spellings normalised, empty meaning Bearer. */
export function tokenType(raw: unknown): string {
  const t = typeof raw === 'string' ? raw : '';
  const lower = t.toLowerCase();
  if (lower === '' || lower === 'bearer') return 'Bearer';
  if (lower === 'mac') return 'MAC';
  if (lower === 'basic') return 'Basic';
  return t;
}

async function fetchToken(cfg: OAuth2, secret: string, signal: AbortSignal): Promise<CachedToken> {
  const url = new URL(cfg.token_url);
  const tls = await tlsClientOptions(cfg.tls_config, url.hostname.replace(/^\[|\]$/g, ''));
  const dispatcher = new Agent({ connect: tls, connections: 1, pipelining: 0 });
  try {
    const basic = Buffer.from(`${encodeURIComponent(cfg.client_id)}:${encodeURIComponent(secret)}`).toString('base64');
    const res = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${basic}`, accept: 'application/json' },
      body: tokenRequestBody(cfg),
      dispatcher,
      signal,
    });
    const text = await readLimited(res.body);
    if (res.statusCode < 200 || res.statusCode > 299) {
      throw new Error(`oauth2: cannot fetch token: ${res.statusCode} from ${url.origin}: ${text.slice(0, 200)}`);
    }
    return parseTokenResponse(text, String(res.headers['content-type'] ?? ''), performance.now());
  } finally {
    await dispatcher.close();
  }
}

/** A token endpoint's answer (JSON, or the form encoding some old servers use) → the header to send. */
export function parseTokenResponse(text: string, contentType: string, now: number): CachedToken {
  let fields: Record<string, unknown>;
  if (/application\/x-www-form-urlencoded|text\/plain/.test(contentType)) fields = Object.fromEntries(new URLSearchParams(text));
  else {
    try {
      fields = JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new Error('oauth2: cannot parse the token response as JSON');
    }
  }
  const token = fields.access_token;
  if (typeof token !== 'string' || token === '') throw new Error('oauth2: server response missing access_token');
  const expiresIn = Number(fields.expires_in);
  const refreshAt = Number.isFinite(expiresIn) && expiresIn > 0 ? now + expiresIn * 1000 - EXPIRY_DELTA_MS : Number.POSITIVE_INFINITY;
  return { header: `${tokenType(fields.token_type)} ${token}`, refreshAt };
}

async function readLimited(body: AsyncIterable<Buffer>): Promise<string> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > MAX_TOKEN_RESPONSE) throw new Error('oauth2: token response too large');
    parts.push(chunk);
  }
  return Buffer.concat(parts).toString('utf8');
}
