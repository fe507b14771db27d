import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';

export const RESOLV_CONF = '/etc/resolv.conf';
/** glibc's MAXNS: nameserver lines past the third are ignored by the system's own resolver too. */
const MAX_NAMESERVERS = 3;

/** The `nameserver` addresses of a resolv.conf text, in order (comments and bad lines skipped). */
export function parseResolvConf(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/[#;].*$/, '').trim();
    const m = /^nameserver\s+(\S+)$/.exec(line);
    if (!m) continue;
    // A zone (fe80::1%eth0) is kept: the exchange needs it to pick the interface.
    const addr = m[1]!;
    if (isIP(addr.split('%')[0]!) === 0) continue;
    out.push(addr);
    if (out.length === MAX_NAMESERVERS) break;
  }
  return out;
}

/**
 * This host's resolvers, read now (a DHCP renewal or VPN may have changed them since start);
 * none when the file is missing or unreadable.
 */
export function systemResolvers(file = RESOLV_CONF): string[] {
  try {
    return parseResolvConf(readFileSync(file, 'utf8'));
  } catch {
    return [];
  }
}
