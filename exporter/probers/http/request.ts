import { readFile } from 'node:fs/promises';
import type { HttpOptions } from '../../../lib/config/probers/http.js';

/**
 * authorizationHeader, as a promise only when a credentials file must be read: inline
 * credentials (or none) need no await on the hot path.
 */
export function authorization(o: HttpOptions): string | undefined | Promise<string | undefined> {
  if (o.basic_auth?.password_file || o.basic_auth?.username_file || o.authorization?.credentials_file || o.bearer_token_file) return authorizationHeader(o);
  if (o.basic_auth) return `Basic ${Buffer.from(`${o.basic_auth.username}:${o.basic_auth.password ?? ''}`).toString('base64')}`;
  if (o.authorization) return `${o.authorization.type} ${o.authorization.credentials ?? ''}`;
  if (o.bearer_token) return `Bearer ${o.bearer_token}`;
  return undefined;
}

/** The Authorization header the module's credentials make, or undefined (files read per probe, as Prometheus does). */
export async function authorizationHeader(o: HttpOptions): Promise<string | undefined> {
  if (o.basic_auth) {
    const b = o.basic_auth;
    const password = b.password_file ? (await readFile(b.password_file, 'utf8')).trim() : (b.password ?? '');
    const username = b.username_file ? (await readFile(b.username_file, 'utf8')).trim() : b.username;
    return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  }
  if (o.authorization) {
    const a = o.authorization;
    const creds = a.credentials_file ? (await readFile(a.credentials_file, 'utf8')).trim() : (a.credentials ?? '');
    return `${a.type} ${creds}`;
  }
  if (o.bearer_token_file) return `Bearer ${(await readFile(o.bearer_token_file, 'utf8')).trim()}`;
  if (o.bearer_token) return `Bearer ${o.bearer_token}`;
  return undefined;
}

export { headerValue } from '../../../lib/config/probers/http-rules.js';

/** Name/value pairs set by Set-Cookie, kept per host so a redirect chain behaves like blackbox's cookie jar. */
export class CookieJar {
  private readonly byHost = new Map<string, Map<string, string>>();

  store(host: string, setCookies: string[]): void {
    for (const line of setCookies) {
      const m = /^\s*([^=;\s]+)=([^;]*)/.exec(line);
      if (!m) continue;
      let jar = this.byHost.get(host);
      if (!jar) {
        jar = new Map();
        this.byHost.set(host, jar);
      }
      jar.set(m[1]!, m[2]!.trim());
    }
  }

  header(host: string): string | undefined {
    const jar = this.byHost.get(host);
    if (!jar || jar.size === 0) return undefined;
    return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

export interface HeaderInputs {
  configured: Record<string, string>;
  /** `http_headers` lines, after `headers` and before what the client adds. */
  extra?: readonly [string, string][];
  authorization?: string;
  userAgent: string;
  compression: string;
  cookie?: string;
  referer?: string;
  /** The request goes to another host than the first: drop credentials set by hand, as Go does. */
  crossHost: boolean;
}

const SENSITIVE = new Set(['authorization', 'www-authenticate', 'cookie', 'cookie2']);

/** Request headers except Host, configured ones first, then what Go's client and blackbox add. */
export function requestHeaders(i: HeaderInputs): [string, string][] {
  const out: [string, string][] = [];
  const has = (name: string) => out.some(([k]) => k.toLowerCase() === name);
  for (const [k, v] of Object.entries(i.configured)) {
    const lower = k.toLowerCase();
    if (lower === 'host') continue;
    if (i.crossHost && SENSITIVE.has(lower)) continue;
    out.push([k, v]);
  }
  for (const [k, v] of i.extra ?? []) {
    if (i.crossHost && SENSITIVE.has(k.toLowerCase())) continue;
    out.push([k, v]);
  }
  if (!has('user-agent')) out.push(['User-Agent', i.userAgent]);
  if (i.compression && !has('accept-encoding')) out.push(['Accept-Encoding', i.compression]);
  if (i.authorization && !has('authorization')) out.push(['Authorization', i.authorization]);
  if (i.cookie && !has('cookie')) out.push(['Cookie', i.cookie]);
  if (i.referer && !has('referer')) out.push(['Referer', i.referer]);
  return out;
}

export interface RedirectStep {
  url: URL;
  method: string;
  keepBody: boolean;
  /** Location was relative: Go keeps the Host header it had. */
  relative: boolean;
}

/** Go's redirect rules: 301/302/303 turn other methods into GET without body; 307/308 keep both. */
export function redirectStep(status: number, location: string | undefined, current: URL, method: string): RedirectStep | undefined {
  if (![301, 302, 303, 307, 308].includes(status) || !location) return undefined;
  let url: URL;
  try {
    url = new URL(location, current);
  } catch {
    throw new Error(`failed to parse Location header "${location}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`redirect to unsupported URL "${location}"`);
  const relative = !/^[A-Za-z][A-Za-z0-9+.-]*:/.test(location) && !location.startsWith('//');
  if (status === 307 || status === 308) return { url, method, keepBody: true, relative };
  const m = method === 'GET' || method === 'HEAD' ? method : 'GET';
  return { url, method: m, keepBody: false, relative };
}

/** Go's Referer on redirects: never from https to http, never with credentials or fragment. */
export function refererFor(from: URL, to: URL): string | undefined {
  if (from.protocol === 'https:' && to.protocol === 'http:') return undefined;
  const u = new URL(from);
  u.username = '';
  u.password = '';
  u.hash = '';
  return u.toString();
}
