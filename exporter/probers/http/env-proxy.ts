import { BlockList, isIP } from 'node:net';

/**
 * Which proxy a request to `url` goes through: `proxy_url` unless the host is in `no_proxy`, or,
 * with `proxy_from_environment`, Go's http.ProxyFromEnvironment reading of HTTPS_PROXY /
 * HTTP_PROXY / NO_PROXY (upper or lower case). Pure: the environment is passed in.
 */
export function proxyFor(
  url: URL,
  o: { proxy_url?: string | undefined; no_proxy?: string | undefined; proxy_from_environment: boolean },
  env: Readonly<Record<string, string | undefined>>,
): URL | undefined {
  if (o.proxy_from_environment) {
    const raw = url.protocol === 'https:' ? (env.HTTPS_PROXY ?? env.https_proxy) : (env.HTTP_PROXY ?? env.http_proxy);
    if (!raw) return undefined;
    if (bypassed(url, env.NO_PROXY ?? env.no_proxy ?? '')) return undefined;
    // Go reads a proxy without a scheme as http://.
    try {
      return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`);
    } catch {
      throw new Error(`invalid proxy address in the environment: ${JSON.stringify(raw)}`);
    }
  }
  if (!o.proxy_url) return undefined;
  if (o.no_proxy && bypassed(url, o.no_proxy)) return undefined;
  return new URL(o.proxy_url);
}

/** Go's httpproxy NO_PROXY rules: `*`, IPs and CIDRs, `host`, `.domain` / `domain` (with subdomains), optional `:port`. */
export function bypassed(url: URL, noProxy: string): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  // Go's httpproxy never proxies localhost nor a loopback address, whatever the list says.
  if (host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'))) return true;
  for (const raw of noProxy.split(',')) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return true;
    if (entry.includes('/')) {
      if (isIP(host) && inCidr(host, entry)) return true;
      continue;
    }
    const [name, entryPort] = splitPort(entry);
    if (entryPort !== undefined && entryPort !== port) continue;
    if (isIP(name)) {
      if (name === host) return true;
      continue;
    }
    const bare = name.replace(/^\*?\./, '');
    if (host === bare || host.endsWith(`.${bare}`)) return true;
  }
  return false;
}

function splitPort(entry: string): [string, string | undefined] {
  const v6 = /^\[(.+)\](?::(\d+))?$/.exec(entry);
  if (v6) return [v6[1]!, v6[2]];
  const m = /^([^:]+):(\d+)$/.exec(entry);
  return m ? [m[1]!, m[2]] : [entry, undefined];
}

function inCidr(ip: string, cidr: string): boolean {
  const [net, bits] = cidr.split('/');
  const family = isIP(net ?? '');
  if (family === 0 || family !== isIP(ip)) return false;
  const list = new BlockList();
  try {
    list.addSubnet(net!, Number(bits), family === 6 ? 'ipv6' : 'ipv4');
  } catch {
    return false;
  }
  return list.check(ip, family === 6 ? 'ipv6' : 'ipv4');
}
