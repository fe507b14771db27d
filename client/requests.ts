import type { MeasurementRequest, Selector, TestType } from './api.js';

/**
 * The few fields a person fills in for each test, turned into the hub's measurement request.
 * Option names are the probers' module sections (blackbox.yml style), so this is the one place
 * that knows them; the CLI and the web page both build requests here.
 */

export interface DnsInput {
  name: string;
  /** Record type name: A, AAAA, MX, ... */
  qtype: string;
  /** host or host:port of the resolver to ask; `system` for each agent's own (resolv.conf). */
  resolver: string;
  transport?: 'udp' | 'tcp';
}

export interface HttpInput {
  url: string;
  host?: string;
  headersOnly?: boolean;
  method?: string;
  /** Do not verify the server's certificate (curl -k); the certificate is still shown. */
  insecure?: boolean;
}

export interface TraceInput {
  target: string;
  ipVersion?: 4 | 6;
  packets?: number;
}

export type TestInput =
  | ({ type: 'dns' } & DnsInput)
  | ({ type: 'http' } & HttpInput)
  | ({ type: 'mtr' } & TraceInput)
  | ({ type: 'icmp' } & TraceInput)
  | { type: 'tcp'; target: string; ipVersion?: 4 | 6; packets?: number }
  | ({ type: 'burst' } & BurstInput)
  | { type: 'sockets'; filter?: string };

/** A burst as a person asks for it; the rest of the module section keeps its defaults. */
export interface BurstInput {
  target: string;
  ipVersion?: 4 | 6;
  connections?: number;
  concurrency?: number;
  rate?: number;
  tls?: boolean;
  insecure?: boolean;
  /** Send `GET path` on each connection and time the first byte. */
  path?: string;
  proxy?: string;
}

export interface Common {
  agents: Selector;
  timeout?: number;
}

export const DEFAULTS = {
  dnsType: 'A',
  pingPackets: 3,
  mtrPackets: 5,
  /** The hub's default, shown in the progress line when --timeout is not given. */
  timeout: 10,
} as const;

export function buildRequest(input: TestInput, common: Common): MeasurementRequest {
  const { target, options } = targetAndOptions(input);
  const req: MeasurementRequest = { type: input.type as TestType, target, options, agents: common.agents };
  if (common.timeout !== undefined) req.timeout = common.timeout;
  return req;
}

function ipOptions(v: 4 | 6 | undefined): Record<string, unknown> {
  return v === undefined ? {} : { preferred_ip_protocol: v === 4 ? 'ip4' : 'ip6', ip_protocol_fallback: false };
}

function targetAndOptions(input: TestInput): { target: string; options: Record<string, unknown> } {
  switch (input.type) {
    case 'dns': {
      const options: Record<string, unknown> = { query_name: input.name, query_type: input.qtype.toUpperCase() };
      if (input.transport) options.transport_protocol = input.transport;
      return { target: input.resolver, options };
    }
    case 'http': {
      const options: Record<string, unknown> = {};
      if (input.host) options.headers = { Host: input.host };
      if (input.method && input.method !== 'GET') options.method = input.method;
      if (input.headersOnly) options.headers_only = true;
      if (input.insecure) options.tls_config = { insecure_skip_verify: true };
      return { target: input.url, options };
    }
    case 'icmp': {
      const options: Record<string, unknown> = { ...ipOptions(input.ipVersion) };
      if (input.packets !== undefined) options.packets = input.packets;
      return { target: input.target, options };
    }
    case 'mtr': {
      // mtr's own -4/-6, not blackbox's preferred_ip_protocol: mtr resolves the name itself.
      const options: Record<string, unknown> = input.ipVersion === undefined ? {} : { ip_version: input.ipVersion };
      if (input.packets !== undefined) options.packets = input.packets;
      return { target: input.target, options };
    }
    case 'tcp': {
      const options = ipOptions(input.ipVersion);
      if (input.packets !== undefined) options.packets = input.packets;
      return { target: input.target, options };
    }
    case 'burst':
      return { target: input.target, options: burstOptions(input) };
    case 'sockets':
      return { target: input.filter ?? '*', options: {} };
  }
}

function burstOptions(input: BurstInput): Record<string, unknown> {
  const o: Record<string, unknown> = { ...ipOptions(input.ipVersion) };
  for (const k of ['connections', 'concurrency', 'rate'] as const) if (input[k] !== undefined) o[k] = input[k];
  if (input.tls) o.tls = true;
  if (input.insecure) o.tls_config = { insecure_skip_verify: true };
  if (input.path !== undefined) o.request = { method: 'GET', path: input.path };
  if (input.proxy !== undefined) o.proxy_url = input.proxy;
  return o;
}
