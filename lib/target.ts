/** Checks every prober's target gets before its own: the ones that keep user input off argv. */
export const MAX_TARGET_LENGTH = 2048;

export function commonTargetError(target: string | undefined): string | undefined {
  if (target === undefined || target === '') return 'target parameter is missing';
  if (target.length > MAX_TARGET_LENGTH) return `target is longer than ${MAX_TARGET_LENGTH} characters`;
  if (target.startsWith('-')) return 'target must not start with "-"';
  if (/[\u0000-\u001f\u007f]/.test(target)) return 'target contains control characters';
  return undefined;
}

/** A hostname (RFC 1123 labels, optional trailing dot), an IPv4 address, or an IPv6 address. */
export function isHostOrIp(host: string): boolean {
  if (host.length === 0 || host.length > 253) return false;
  if (host.includes(':')) return /^[0-9a-fA-F:.]+(%[A-Za-z0-9_.-]+)?$/.test(host);
  return /^(?=.{1,253}\.?$)([A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?)*\.?$/.test(host);
}

/**
 * Splits `host:port`, `[v6]:port` or (when `defaultPort` is given) a bare host.
 * Returns a reason string instead of throwing, so callers can turn it into a 400.
 */
export function splitHostPort(target: string, defaultPort?: number): { host: string; port: number } | string {
  let host: string;
  let portText: string | undefined;
  const v6 = /^\[([^\]]+)\](?::(.*))?$/.exec(target);
  if (v6) {
    host = v6[1]!;
    portText = v6[2];
  } else {
    const idx = target.lastIndexOf(':');
    if (idx >= 0 && target.indexOf(':') === idx) {
      host = target.slice(0, idx);
      portText = target.slice(idx + 1);
    } else if (idx >= 0) {
      // Several colons and no brackets: a bare IPv6 address.
      host = target;
    } else host = target;
  }
  if (!isHostOrIp(host)) return `"${host}" is not a valid hostname or IP address`;
  if (portText === undefined) {
    if (defaultPort === undefined) return 'target must be host:port';
    return { host, port: defaultPort };
  }
  if (!/^[0-9]{1,5}$/.test(portText)) return `port "${portText}" is not a number`;
  const port = Number(portText);
  if (port < 1 || port > 65535) return `port ${port} is out of range (1-65535)`;
  return { host, port };
}
