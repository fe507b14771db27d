import { splitHostPort } from '../../../lib/target.js';

/**
 * blackbox's grpc target: `host:port`, optionally written as an http:// or https:// URL; without
 * a port, 443 with TLS and 80 without, as blackbox dials.
 */
export function parseGrpcTarget(target: string, tls: boolean): { host: string; port: number } {
  const rest = target.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
  const parsed = splitHostPort(rest);
  if (typeof parsed !== 'string') return parsed;
  const host = rest.replace(/^\[(.*)\]$/, '$1');
  if (host === '' || /[\s/]/.test(host)) throw new Error(`invalid grpc target "${target}"`);
  return { host, port: tls ? 443 : 80 };
}

export function grpcTargetError(target: string): string | undefined {
  try {
    parseGrpcTarget(target, false);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}
