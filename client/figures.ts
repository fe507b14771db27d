import type { Row } from './api.js';
import { burstFigures, burstKeyFigure, socketCounts, socketsKeyFigure, tcpPingRttSeconds } from './burst-figures.js';
import { asPath } from './as-path.js';
import { dnsRcode, dnsRecords, mtrHops, tlsVersion } from './details.js';
import { formatRatio, formatSeconds, metric, samples } from './metrics.js';

/** One column of the results table; the CLI and the web page show the same figures. */
export interface Column {
  title: string;
  align: 'left' | 'right';
  value(row: Row): string;
  /** Left out of a table where no row has a value (TCP ping figures on a plain tcp test). */
  optional?: boolean;
}

const right = (title: string, value: (row: Row) => string): Column => ({ title, align: 'right', value });
const left = (title: string, value: (row: Row) => string): Column => ({ title, align: 'left', value });

function total(row: Row): number | undefined {
  return row.result?.duration_seconds ?? row.duration_seconds ?? undefined;
}

export function dnsLookupSeconds(row: Row): number | undefined {
  return metric(row.result, 'probe_dns_duration_seconds', { phase: 'request' }) ?? total(row);
}

export function dnsAnswers(row: Row): string[] {
  return dnsRecords(row.result)
    .filter((r) => r.section === 'answer')
    .map((r) => r.data);
}

export function httpStatusCode(row: Row): number | undefined {
  const code = metric(row.result, 'probe_http_status_code');
  return code === undefined || code === 0 ? undefined : code;
}

export function httpTotalSeconds(row: Row): number | undefined {
  const phases = samples(row.result, 'probe_http_duration_seconds');
  if (phases.length > 0) return phases.reduce((a, s) => a + s.value, 0);
  return total(row);
}

export function pingRttSeconds(row: Row): number | undefined {
  return metric(row.result, 'probe_icmp_rtt_seconds', { stat: 'avg' }) ?? metric(row.result, 'probe_icmp_duration_seconds', { phase: 'rtt' });
}

export function lossRatio(row: Row): number | undefined {
  // The names the icmp and tcp (TCP ping) probers write; mtr's loss is per hop (mtrSummary).
  return metric(row.result, 'probe_icmp_packet_loss_ratio') ?? metric(row.result, 'probe_tcp_ping_packet_loss_ratio');
}

export function mtrSummary(row: Row): { hops: number; loss: number | undefined; avg: number | undefined } | undefined {
  const hops = mtrHops(row.result);
  const last = hops[hops.length - 1];
  if (!last) return undefined;
  return { hops: hops.length, loss: last.loss, avg: last.avg };
}

function answersText(row: Row): string {
  const a = dnsAnswers(row);
  if (a.length === 0) return dnsRcode(row.result) ?? '';
  return a.length > 3 ? `${a.slice(0, 3).join(', ')} (+${a.length - 3})` : a.join(', ');
}

function tlsText(row: Row): string {
  const v = tlsVersion(row.result);
  if (v) return v;
  const s = samples(row.result, 'probe_tls_version_info')[0];
  return s?.labels.version ?? '';
}

/** What went wrong, for rows that are not ok; shown in the table's last column. */
export function note(row: Row): string {
  if (row.status === 'ok') return '';
  return row.reason ?? row.result?.reason ?? row.status;
}

export function columnsFor(type: string): Column[] {
  switch (type) {
    case 'dns':
      return [right('TIME', (r) => formatSeconds(dnsLookupSeconds(r))), left('ANSWERS', answersText)];
    case 'http':
      return [
        right('CODE', (r) => String(httpStatusCode(r) ?? '')),
        right('TIME', (r) => formatSeconds(httpTotalSeconds(r))),
        left('TLS', tlsText),
      ];
    case 'icmp':
      return [right('RTT', (r) => formatSeconds(pingRttSeconds(r))), right('LOSS', (r) => formatRatio(lossRatio(r)))];
    case 'mtr':
      return [
        right('HOPS', (r) => String(mtrSummary(r)?.hops ?? '')),
        right('LOSS', (r) => formatRatio(mtrSummary(r)?.loss ?? lossRatio(r))),
        right('RTT', (r) => formatSeconds(mtrSummary(r)?.avg)),
        { title: 'AS PATH', align: 'left', value: (r) => asPath(mtrHops(r.result)) },
      ];
    case 'tcp':
      return [right('TIME', (r) => formatSeconds(total(r))), { ...right('RTT', (r) => formatSeconds(tcpPingRttSeconds(r))), optional: true }, { ...right('LOSS', (r) => formatRatio(lossRatio(r))), optional: true }];
    case 'burst':
      return [
        right('CONN', (r) => String(burstFigures(r).attempts ?? '')),
        right('STALLED', (r) => String(burstFigures(r).stalled ?? '')),
        right('FAILED', (r) => String(burstFigures(r).failed ?? '')),
        right('P50', (r) => formatSeconds(burstFigures(r).p50)),
        right('P99', (r) => formatSeconds(burstFigures(r).p99)),
        right('MAX', (r) => formatSeconds(burstFigures(r).max)),
      ];
    case 'sockets':
      return ['established', 'time_wait', 'close_wait', 'syn_sent'].map((st) => right(st.toUpperCase(), (r) => String(socketCounts(r)[st] ?? '')));
    default:
      return [right('TIME', (r) => formatSeconds(total(r)))];
  }
}

/** The one headline figure per row: lookup time, status code and total time, RTT and loss. */
export function keyFigure(type: string, row: Row): string {
  if (!row.result) return '';
  switch (type) {
    case 'dns': {
      const t = formatSeconds(dnsLookupSeconds(row));
      const n = dnsAnswers(row).length;
      return `${t} · ${n} answer${n === 1 ? '' : 's'}`;
    }
    case 'http': {
      const code = httpStatusCode(row);
      const t = formatSeconds(httpTotalSeconds(row));
      return code === undefined ? t : `${code} · ${t}`;
    }
    case 'icmp': {
      const loss = lossRatio(row);
      const rtt = formatSeconds(pingRttSeconds(row));
      return loss === undefined ? rtt : `${rtt} · ${formatRatio(loss)} loss`;
    }
    case 'mtr': {
      const m = mtrSummary(row);
      if (!m) return '';
      const loss = m.loss === undefined ? '' : ` · ${formatRatio(m.loss)} loss`;
      return `${m.hops} hop${m.hops === 1 ? '' : 's'}${loss}${m.avg === undefined ? '' : ` · ${formatSeconds(m.avg)}`}`;
    }
    case 'tcp': {
      const loss = lossRatio(row);
      if (loss === undefined) return formatSeconds(total(row));
      return `${formatSeconds(tcpPingRttSeconds(row))} · ${formatRatio(loss)} loss`;
    }
    case 'burst':
      return burstKeyFigure(row);
    case 'sockets':
      return socketsKeyFigure(row);
    default:
      return formatSeconds(total(row));
  }
}
