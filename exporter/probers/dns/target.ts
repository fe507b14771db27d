import { isIP } from 'node:net';
import type { DnsOptions } from '../../../lib/config/probers/dns.js';
import { DNS_CLASSES, parseQueryType } from '../../../lib/config/probers/dns-names.js';
import { splitHostPort } from '../../../lib/target.js';
import { queryNameError } from './query.js';

export interface DnsResolverTarget {
  host: string;
  port: number;
}

/** The resolver a probe asks: `host[:port]`, port 53 by default, 853 with dns_over_tls. */
export function parseResolver(target: string, options: DnsOptions): DnsResolverTarget | string {
  const hp = splitHostPort(target, options.dns_over_tls ? 853 : 53);
  return typeof hp === 'string' ? `resolver ${JSON.stringify(target)}: ${hp}` : hp;
}

/** Everything wrong with a target or the options that can be told before any I/O (→ HTTP 400). */
export function dnsTargetError(target: string, options: DnsOptions): string | undefined {
  const resolver = parseResolver(target, options);
  if (typeof resolver === 'string') return resolver;
  const nameError = queryNameError(options.query_name);
  if (nameError) return nameError;
  if (parseQueryType(options.query_type) === undefined) {
    return `query_type ${JSON.stringify(options.query_type)} is not a DNS type name (A, AAAA, MX...) or number (1-65535)`;
  }
  if (DNS_CLASSES[options.query_class] === undefined) return `query_class ${JSON.stringify(options.query_class)} is not a DNS class`;
  if (options.dns_over_tls && options.transport_protocol !== 'tcp') {
    return 'dns_over_tls needs transport_protocol: tcp (as in blackbox_exporter)';
  }
  if (options.source_ip_address !== undefined && isIP(options.source_ip_address) === 0) {
    return `source_ip_address ${JSON.stringify(options.source_ip_address)} is not an IP address`;
  }
  return undefined;
}
