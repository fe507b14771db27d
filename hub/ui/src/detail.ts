import { hopAs } from '../../../client/as-path.js';
import type { Row } from '../../../client/api.js';
import { dnsRcode, dnsRecords, httpHeaders, httpPhases, mtrHops, tlsCertificate, tlsVerified, tlsVersion } from '../../../client/details.js';
import { pingFigures } from '../../../client/details-sockets.js';
import { formatRatio, formatSeconds, samples } from '../../../client/metrics.js';
import { burstView, socketsView, tcpConnectionView, tcpPingView } from './burst-detail.js';
import { h } from './dom.js';

/** The detail view under a row: what the agent saw, per test type, then its probe log. */
export function detailView(type: string, row: Row): HTMLElement {
  const parts: HTMLElement[] = [];
  if (row.status !== 'ok') parts.push(h('p', { class: 'reason' }, row.reason ?? row.result?.reason ?? row.status));
  const r = row.result;
  if (r) {
    if (type === 'dns') parts.push(dnsView(row));
    if (type === 'http') parts.push(...httpView(row));
    if (type === 'icmp') parts.push(pingView(row));
    if (type === 'mtr') parts.push(mtrView(row));
    if (type === 'burst') parts.push(burstView(row));
    if (type === 'sockets') parts.push(socketsView(row));
    if (type === 'tcp') parts.push(...[tcpPingView(row), tcpConnectionView(row), ...tlsParts(row)].filter((x) => x !== null));
    parts.push(logView(r.logs));
  }
  const labels = Object.entries(row.labels).map(([k, v]) => h('span', { class: 'label' }, `${k}=${v}`));
  return h('div', { class: 'detail' }, h('p', { class: 'muted' }, `${row.agent} → ${row.target} `, ...labels), ...parts);
}

function table(headers: string[], rows: (string | number)[][], cls = ''): HTMLElement {
  return h(
    'div',
    { class: 'scroll' },
    h(
      'table',
      { class: `mini ${cls}` },
      headers.some((t) => t !== '') ? h('thead', {}, h('tr', {}, ...headers.map((t) => h('th', {}, t)))) : null,
      h('tbody', {}, ...rows.map((r) => h('tr', {}, ...r.map((c) => h('td', {}, String(c))))))),
  );
}

function section(title: string, ...body: (HTMLElement | string)[]): HTMLElement {
  return h('section', { class: 'part' }, h('h4', {}, title), ...body);
}

function dnsView(row: Row): HTMLElement {
  const recs = dnsRecords(row.result);
  const rcode = dnsRcode(row.result);
  const head = rcode ? `Answers (${rcode})` : 'Answers';
  if (recs.length === 0) return section(head, h('p', { class: 'muted' }, 'no records'));
  return section(
    head,
    table(
      ['Section', 'Name', 'TTL', 'Type', 'Data'],
      recs.map((x) => [x.section, x.name, x.ttl ?? '', x.type, x.data]),
      'dns',
    ),
  );
}

const PHASE_TITLES: Record<string, string> = { resolve: 'DNS', connect: 'connect', tls: 'TLS', processing: 'waiting', transfer: 'transfer' };

function httpView(row: Row): HTMLElement[] {
  const out: HTMLElement[] = [];
  const phases = httpPhases(samples(row.result, 'probe_http_duration_seconds')).filter((p) => p.seconds > 0);
  const total = phases.reduce((a, p) => a + p.seconds, 0);
  if (total > 0) {
    const bar = h(
      'div',
      { class: 'timing', role: 'img', 'aria-label': phases.map((p) => `${p.phase} ${formatSeconds(p.seconds)}`).join(', ') },
      ...phases.map((p) => h('span', { class: `phase ${p.phase}`, style: `width:${((p.seconds / total) * 100).toFixed(2)}%`, title: `${PHASE_TITLES[p.phase] ?? p.phase}: ${formatSeconds(p.seconds)}` })),
    );
    const legend = h(
      'ul',
      { class: 'legend' },
      ...phases.map((p) => h('li', {}, h('span', { class: `swatch ${p.phase}` }), `${PHASE_TITLES[p.phase] ?? p.phase} ${formatSeconds(p.seconds)}`)),
    );
    out.push(section(`Timing · ${formatSeconds(total)}`, bar, legend));
  }
  const headers = httpHeaders(row.result);
  if (headers.length > 0) out.push(section('Response headers', table(['Header', 'Value'], headers, 'headers')));
  out.push(...tlsParts(row));
  return out;
}

/** The TLS certificate section of a row whose prober spoke TLS (http, tcp), also when it did not verify. */
function tlsParts(row: Row): HTMLElement[] {
  const cert = tlsCertificate(row.result);
  if (!cert) return [];
  const rows: [string, string][] = [];
  const add = (k: string, v: unknown) => {
    if (v !== undefined && v !== null && v !== '') rows.push([k, Array.isArray(v) ? v.join(', ') : String(v)]);
  };
  add('Version', tlsVersion(row.result));
  add('Verified', tlsVerified(row.result));
  add('Subject', cert.subject);
  add('Issuer', cert.issuer);
  add('Names', [...(cert.dns_names ?? []), ...(Array.isArray(cert.ip_addresses) ? (cert.ip_addresses as string[]) : [])]);
  add('Valid from', cert.not_before);
  add('Valid until', cert.not_after);
  add('Serial', cert.serial);
  add('SHA-256', cert.fingerprint_sha256);
  return [section('TLS certificate', table(['', ''], rows, 'cert'))];
}

function pingView(row: Row): HTMLElement {
  const p = pingFigures(row.result);
  if (!p) return section('Ping', h('p', { class: 'muted' }, 'no figures'));
  const rows: [string, string][] = [
    ['Address', p.address ?? ''],
    ['Packets', `${p.received ?? '?'} of ${p.sent ?? '?'} answered`],
    ['Loss', formatRatio(p.loss)],
  ];
  if (p.avg !== undefined) rows.push(['RTT min / avg / max / stddev', [p.min, p.avg, p.max, p.stddev].map((x) => formatSeconds(x)).join(' / ')]);
  for (const e of p.errors) rows.push(['ICMP error', e]);
  return section('Ping', table(['', ''], rows.filter(([, v]) => v.trim() !== ''), 'cert'));
}

function mtrView(row: Row): HTMLElement {
  const hops = mtrHops(row.result);
  if (hops.length === 0) return section('Hops', h('p', { class: 'muted' }, 'no hops'));
  return section(
    'Hops',
    table(
      ['#', 'Host', 'AS', 'Loss', 'Sent', 'Last', 'Avg', 'Best', 'Worst', 'StDev'],
      hops.map((x) => [x.hop, x.ip && x.ip !== x.host ? `${x.host} (${x.ip})` : x.host, hopAs(x), formatRatio(x.loss), x.sent ?? '', formatSeconds(x.last), formatSeconds(x.avg), formatSeconds(x.best), formatSeconds(x.worst), formatSeconds(x.stdev)]),
      'hops',
    ),
  );
}

function logView(logs: unknown[]): HTMLElement {
  const lines = logs.map((l) => {
    const o = l as { at?: number; level?: string; msg?: string; fields?: unknown };
    const fields = o.fields ? ` ${JSON.stringify(o.fields)}` : '';
    return `${(o.at ?? 0).toFixed(3)}s ${o.level ?? ''} ${o.msg ?? ''}${fields}`;
  });
  return h('details', { class: 'part' }, h('summary', {}, `Probe log (${lines.length} lines)`), h('pre', {}, lines.join('\n')));
}
