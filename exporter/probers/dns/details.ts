/** The structured result of a dns probe: its schema, and the type derived from it, are in lib/probers/details/dns.ts. */
export type { DnsDetails } from '../../../lib/probers/details/dns.js';
