import { SYSTEM_RESOLVER } from '../../../lib/system-resolver.js';
import type { MeasurementRequest, Selector } from '../../../client/api.js';
import type { TestTypeInfo } from '../../../lib/probers/spec.js';
import { buildRequest, DEFAULTS, type TestInput } from '../../../client/requests.js';

/** The tests the page offers, their fields and defaults; pure, so it is tested without a browser. */

/** A tab: the test type's command name (`ping` for icmp), as the hub's GET /api/v1/types lists it. */
export type TestKind = string;

export interface Field {
  name: string;
  label: string;
  kind: 'text' | 'select' | 'number' | 'checkbox';
  value: string;
  placeholder?: string;
  choices?: string[];
  required?: boolean;
  hint?: string;
}

export interface TestTab {
  kind: TestKind;
  /** The prober's name, the request's `type`. */
  type: string;
  title: string;
  summary: string;
  target: string;
}

/** The page's tabs, one per test type the hub's prober catalog offers, in its order. */
export function testTabs(types: readonly TestTypeInfo[]): TestTab[] {
  return types.map((t) => ({ kind: t.command, type: t.type, title: t.title, summary: t.summary, target: t.target }));
}

/** A test type with no form of its own (a newly added prober): its target and module options as JSON. */
function genericFields(tab: TestTab | undefined): Field[] {
  return [
    { name: 'target', label: tab?.target ?? 'Target', kind: 'text', value: '', required: true, hint: tab?.summary },
    { name: 'options', label: 'Options (JSON)', kind: 'text', value: '', placeholder: `optional: the ${tab?.type ?? ''} module section, e.g. {"key": 1}` },
  ];
}

function genericRequest(tab: TestTab | undefined, kind: TestKind, v: Values): MeasurementRequest {
  let options: unknown = {};
  if (v.options?.trim()) {
    try {
      options = JSON.parse(v.options);
    } catch {
      throw new Error('Options must be a JSON object');
    }
  }
  if (!options || typeof options !== 'object' || Array.isArray(options)) throw new Error('Options must be a JSON object');
  return { type: tab?.type ?? kind, target: need(v.target, tab?.target ?? 'Target'), options: options as Record<string, unknown>, agents: {} };
}

const DNS_TYPES = ['A', 'AAAA', 'CNAME', 'MX', 'NS', 'TXT', 'SOA', 'PTR', 'SRV', 'CAA', 'ANY'];
const IP_VERSIONS = ['auto', '4', '6'];

export function fieldsFor(kind: TestKind, tab?: TestTab): Field[] {
  switch (kind) {
    case 'dns':
      return [
        { name: 'name', label: 'Name', kind: 'text', value: '', placeholder: 'example.org', required: true },
        { name: 'qtype', label: 'Record type', kind: 'select', value: DEFAULTS.dnsType, choices: DNS_TYPES },
        { name: 'resolver', label: 'Resolver', kind: 'text', value: '', placeholder: "empty: each agent's own", hint: 'several: separate with spaces; empty asks the resolvers each agent uses' },
        { name: 'transport', label: 'Transport', kind: 'select', value: 'udp', choices: ['udp', 'tcp'] },
      ];
    case 'http':
      return [
        { name: 'url', label: 'URL', kind: 'text', value: '', placeholder: 'https://example.org/', required: true },
        { name: 'host', label: 'Host header', kind: 'text', value: '', placeholder: 'optional: another site on the same server' },
        { name: 'method', label: 'Method', kind: 'select', value: 'GET', choices: ['GET', 'HEAD'] },
        { name: 'headersOnly', label: 'Headers only', kind: 'checkbox', value: '', hint: 'stop after the response headers' },
        { name: 'insecure', label: 'Skip certificate check', kind: 'checkbox', value: '', hint: 'like curl -k' },
      ];
    case 'mtr':
      return [
        { name: 'target', label: 'Target', kind: 'text', value: '', placeholder: 'example.org or an IP address', required: true },
        { name: 'ipVersion', label: 'IP version', kind: 'select', value: 'auto', choices: IP_VERSIONS },
        { name: 'packets', label: 'Packets per hop', kind: 'number', value: String(DEFAULTS.mtrPackets) },
      ];
    case 'ping':
      return [
        { name: 'target', label: 'Target', kind: 'text', value: '', placeholder: 'example.org or an IP address', required: true },
        { name: 'ipVersion', label: 'IP version', kind: 'select', value: 'auto', choices: IP_VERSIONS },
        { name: 'packets', label: 'Packets', kind: 'number', value: String(DEFAULTS.pingPackets) },
      ];
    case 'tcp':
      return [
        { name: 'target', label: 'Host:port', kind: 'text', value: '', placeholder: 'example.org:443', required: true },
        { name: 'ipVersion', label: 'IP version', kind: 'select', value: 'auto', choices: IP_VERSIONS },
        { name: 'packets', label: 'TCP ping connects', kind: 'number', value: '', hint: 'empty: one connection; a number: TCP ping (RTT and loss where ICMP is dropped)' },
      ];
    case 'burst':
      return [
        { name: 'target', label: 'Host:port', kind: 'text', value: '', placeholder: 'proxy.school.example:3128', required: true },
        { name: 'connections', label: 'Connections', kind: 'number', value: '100' },
        { name: 'concurrency', label: 'At once', kind: 'number', value: '10' },
        { name: 'rate', label: 'Per second', kind: 'number', value: '', hint: 'empty: as fast as "at once" allows (each agent caps it)' },
        { name: 'tls', label: 'TLS', kind: 'checkbox', value: '' },
        { name: 'path', label: 'Request path', kind: 'text', value: '', placeholder: 'optional: GET this on each connection' },
        { name: 'proxy', label: 'Through proxy', kind: 'text', value: '', placeholder: 'optional: http://user:pass@proxy:3128' },
        { name: 'ipVersion', label: 'IP version', kind: 'select', value: 'auto', choices: IP_VERSIONS },
      ];
    case 'sockets':
      return [{ name: 'filter', label: 'Remote end', kind: 'text', value: '', placeholder: 'optional: ADDR, ADDR:PORT or *:PORT', hint: "the agents' own TCP sockets (netstat)" }];
    default:
      return genericFields(tab);
  }
}

/** Values the user filled in, by field name ("" for an empty field; "true"/"" for checkboxes). */
export type Values = Record<string, string>;

function ipv(v: string | undefined): { ipVersion?: 4 | 6 } {
  return v === '4' ? { ipVersion: 4 } : v === '6' ? { ipVersion: 6 } : {};
}

function count(v: string | undefined, name: string): number | undefined {
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a whole number of at least 1`);
  return n;
}

function need(v: string | undefined, label: string): string {
  const t = (v ?? '').trim();
  if (t === '') throw new Error(`${label} is required`);
  return t;
}

/** The form's values as the hub's requests: one per dns resolver, otherwise one. Throws on a missing field. */
export function requestsFrom(kind: TestKind, v: Values, agents: Selector, timeout: number | undefined, tab?: TestTab): MeasurementRequest[] {
  const common = { agents, ...(timeout === undefined ? {} : { timeout }) };
  const inputs: TestInput[] = [];
  switch (kind) {
    case 'dns': {
      const name = need(v.name, 'Name');
      const given = (v.resolver ?? '').split(/[\s,]+/).filter((r) => r !== '');
      // None given: each agent asks its own resolv.conf nameservers (the dns target "system").
      const resolvers = given.length > 0 ? given : [SYSTEM_RESOLVER];
      for (const resolver of resolvers) {
        inputs.push({ type: 'dns', name, qtype: v.qtype || DEFAULTS.dnsType, resolver, ...(v.transport === 'tcp' ? { transport: 'tcp' as const } : {}) });
      }
      break;
    }
    case 'http':
      inputs.push({
        type: 'http',
        url: need(v.url, 'URL'),
        ...(v.host?.trim() ? { host: v.host.trim() } : {}),
        ...(v.method ? { method: v.method } : {}),
        ...(v.headersOnly === 'true' ? { headersOnly: true } : {}),
        ...(v.insecure === 'true' ? { insecure: true } : {}),
      });
      break;
    case 'mtr':
    case 'ping': {
      const packets = count(v.packets, 'Packets');
      inputs.push({ type: kind === 'ping' ? 'icmp' : 'mtr', target: need(v.target, 'Target'), ...ipv(v.ipVersion), ...(packets ? { packets } : {}) });
      break;
    }
    case 'tcp': {
      const packets = count(v.packets, 'TCP ping connects');
      inputs.push({ type: 'tcp', target: need(v.target, 'Host:port'), ...ipv(v.ipVersion), ...(packets ? { packets } : {}) });
      break;
    }
    case 'burst': {
      const n = (name: string, label: string) => {
        const x = count(v[name], label);
        return x === undefined ? {} : { [name]: x };
      };
      inputs.push({
        type: 'burst',
        target: need(v.target, 'Host:port'),
        ...ipv(v.ipVersion),
        ...n('connections', 'Connections'),
        ...n('concurrency', 'At once'),
        ...n('rate', 'Per second'),
        ...(v.tls === 'true' ? { tls: true } : {}),
        ...(v.path?.trim() ? { path: v.path.trim() } : {}),
        ...(v.proxy?.trim() ? { proxy: v.proxy.trim() } : {}),
      });
      break;
    }
    case 'sockets':
      inputs.push({ type: 'sockets', ...(v.filter?.trim() ? { filter: v.filter.trim() } : {}) });
      break;
    default:
      return [{ ...genericRequest(tab, kind, v), ...common }];
  }
  return inputs.map((i) => buildRequest(i, common));
}
