import { isIP } from 'node:net';
import { splitHostPort } from '../../../lib/target.js';

/** A tcp target is `host:port` or `[v6]:port`, as Go's net.SplitHostPort reads it. */
export function tcpTargetError(target: string): string | undefined {
  const parsed = splitHostPort(target);
  return typeof parsed === 'string' ? parsed : undefined;
}

export function parseTcpTarget(target: string): { host: string; port: number } {
  const parsed = splitHostPort(target);
  if (typeof parsed === 'string') throw new Error(parsed);
  return parsed;
}

/** A URL's hostname without the brackets of an IPv6 literal. */
export function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** `host:port` for a Host header or CONNECT line, bracketing IPv6 literals. */
export function joinHostPort(host: string, port: number): string {
  return `${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
}
