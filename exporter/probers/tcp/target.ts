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
