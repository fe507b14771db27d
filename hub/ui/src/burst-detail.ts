import type { Row } from '../../../client/api.js';
import { burstFigures, socketCounts } from '../../../client/burst-figures.js';
import { burstAttempts, burstHistogram, formatEndpoint, socketList, tcpConnection } from '../../../client/details-sockets.js';
import { formatRatio, formatSeconds, metric } from '../../../client/metrics.js';
import { h } from './dom.js';

const MAX_ROWS = 200;

/** A burst row: figures, the connect-time histogram (bars), then the attempts, slowest first. */
export function burstView(row: Row): HTMLElement {
  const b = burstFigures(row);
  const figures = h(
    'p',
    {},
    `${b.attempts ?? 0} connections · ${b.stalled ?? 0} stalled · ${b.failed ?? 0} failed · p50 ${formatSeconds(b.p50)} · p99 ${formatSeconds(b.p99)} · max ${formatSeconds(b.max)}`,
  );
  const hist = burstHistogram(row.result);
  const most = Math.max(1, ...hist.map((x) => x.count));
  const bars = h(
    'div',
    { class: 'histogram', role: 'img', 'aria-label': hist.map((x) => `≤ ${x.le} s: ${x.count}`).join(', ') },
    ...hist.map((x) =>
      h(
        'div',
        { class: 'bucket', title: `≤ ${x.le} s: ${x.count}` },
        h('span', { class: 'bar', style: `height:${((x.count / most) * 100).toFixed(1)}%` }),
        h('span', { class: 'le' }, x.le === '+Inf' ? '>' : formatSeconds(Number(x.le))),
        h('span', { class: 'count' }, String(x.count)),
      ),
    ),
  );
  const attempts = burstAttempts(row.result).sort((a, b) => (b.connect ?? Number.POSITIVE_INFINITY) - (a.connect ?? Number.POSITIVE_INFINITY));
  const rows = attempts
    .slice(0, MAX_ROWS)
    .map((a) => [a.n, formatSeconds(a.start), a.local_port ?? '', formatSeconds(a.connect), formatSeconds(a.tls), formatSeconds(a.first_byte), a.outcome, a.error ?? '']);
  const list = h(
    'details',
    { class: 'part' },
    h('summary', {}, `Attempts, slowest first (${attempts.length}${attempts.length > MAX_ROWS ? `, first ${MAX_ROWS} shown` : ''})`),
    miniTable(['#', 'Start', 'Local port', 'Connect', 'TLS', 'First byte', 'Outcome', 'Error'], rows),
  );
  const loop = metric(row.result, 'probe_burst_event_loop_delay_max_seconds');
  const note = loop === undefined ? null : h('p', { class: 'muted' }, `agent's own event-loop delay at most ${formatSeconds(loop)} during the burst`);
  return h('section', { class: 'part' }, h('h4', {}, 'Burst'), figures, bars, note, list);
}

/** A sockets row: counts by state, then the sockets themselves. */
export function socketsView(row: Row): HTMLElement {
  const counts = Object.entries(socketCounts(row)).filter(([, v]) => v > 0);
  const { total, sockets } = socketList(row.result);
  return h(
    'section',
    { class: 'part' },
    h('h4', {}, `Sockets (${total})`),
    miniTable(['State', 'Count'], counts),
    miniTable(
      ['Family', 'State', 'Local', 'Remote'],
      sockets.slice(0, MAX_ROWS).map((s) => [`IPv${s.family}`, s.state, formatEndpoint(s.local) ?? '', formatEndpoint(s.remote) ?? '']),
    ),
  );
}

/** A tcp row's one connection (no `packets`): where it went, the banner, how TLS came. */
export function tcpConnectionView(row: Row): HTMLElement | null {
  const c = tcpConnection(row.result);
  if (!c) return null;
  const rows: [string, string][] = [
    ['Connected to', c.remote ?? ''],
    ['From', c.local ?? ''],
    ['TLS', c.tlsVia === 'starttls' ? 'by STARTTLS' : c.tlsVia === 'connect' ? 'at connect' : ''],
    ['Banner', c.banner ?? ''],
    ['Dialogue steps', c.steps > 0 ? String(c.steps) : ''],
  ];
  return h('section', { class: 'part' }, h('h4', {}, 'TCP connection'), miniTable(['', ''], rows.filter(([, v]) => v !== '')));
}

/** TCP ping figures on a tcp row that has them (packets set), else nothing. */
export function tcpPingView(row: Row): HTMLElement | null {
  const r = row.result;
  const sent = metric(r, 'probe_tcp_ping_packets_sent');
  if (sent === undefined) return null;
  const stat = (s: string) => formatSeconds(metric(r, 'probe_tcp_ping_rtt_seconds', { stat: s }));
  return h(
    'section',
    { class: 'part' },
    h('h4', {}, 'TCP ping'),
    miniTable(
      ['', ''],
      [
        ['Connects', `${metric(r, 'probe_tcp_ping_packets_received') ?? 0} of ${sent} answered`],
        ['Loss', formatRatio(metric(r, 'probe_tcp_ping_packet_loss_ratio'))],
        ['RTT min / avg / max / stddev', ['min', 'avg', 'max', 'stddev'].map(stat).join(' / ')],
      ],
    ),
  );
}

function miniTable(headers: string[], rows: (string | number)[][]): HTMLElement {
  return h(
    'div',
    { class: 'scroll' },
    h(
      'table',
      { class: 'mini' },
      headers.some((t) => t !== '') ? h('thead', {}, h('tr', {}, ...headers.map((t) => h('th', {}, t)))) : null,
      h('tbody', {}, ...rows.map((r) => h('tr', {}, ...r.map((c) => h('td', {}, String(c)))))),
    ),
  );
}
