import { asnText, connectedAsn } from './asn.js';
import type { Row, RowStatus } from './api.js';
import { dnsRcode, dnsRecords, mtrHops, tlsCertificate } from './details.js';
import { httpStatusCode, lossRatio } from './figures.js';
import { metric } from './metrics.js';

/**
 * Rows grouped by what the agents got, so the odd ones out show without reading every row.
 * Pure functions over the hub's rows; the `pulse` command and the web page both use them.
 */

/** What one row got, as a key to compare by and the words to show for it. */
export interface Outcome {
  key: string;
  label: string;
}

export interface Group {
  key: string;
  label: string;
  /** The status its rows share (the key starts with it). */
  status: RowStatus;
  rows: Row[];
  /** Who got it: agent names, or "agent → target" when the run had several targets. */
  members: string[];
  count: number;
  /** count / all rows, 0..1 */
  share: number;
  /** The one group larger than every other. */
  majority: boolean;
  /** Not the majority, when there is one: these are the agents that see something else. */
  outlier: boolean;
}

/** The CLI prints groups under the table by default when a run has more rows than this. */
export const GROUP_BY_DEFAULT_ABOVE = 5;

const STATUS_WORDS: Record<string, string> = { timeout: 'timed out', offline: 'offline', failed: 'failed' };

/** The reason in the probe's own words (rows that failed alike say it alike), bounded in length. */
function reasonText(row: Row): string {
  const r = (row.reason ?? row.result?.reason ?? STATUS_WORDS[row.status] ?? row.status).trim();
  return r.length > 120 ? `${r.slice(0, 119)}…` : r;
}

function short(fingerprint: string): string {
  return fingerprint.replace(/[^0-9a-f]/gi, '').slice(0, 12).toLowerCase();
}

function dnsOutcome(row: Row): Outcome | undefined {
  const rcode = dnsRcode(row.result);
  if (rcode === undefined) return undefined;
  // An answer set is a set: the order a server lists records in is not a difference.
  const answers = [...new Set(dnsRecords(row.result).filter((r) => r.section === 'answer').map((r) => `${r.type} ${r.data}`.trim()))].sort();
  const data = answers.map((a) => a.replace(/^(A|AAAA) /, ''));
  return { key: `${rcode}|${answers.join(',')}`, label: answers.length === 0 ? `${rcode}, no answer` : `${rcode}: ${data.join(', ')}` };
}

function certPart(row: Row): Outcome | undefined {
  const fp = tlsCertificate(row.result)?.fingerprint_sha256;
  return typeof fp === 'string' && fp !== '' ? { key: fp, label: `certificate ${short(fp)}` } : undefined;
}

function httpOutcome(row: Row): Outcome | undefined {
  const code = httpStatusCode(row);
  if (code === undefined) return undefined;
  const cert = certPart(row);
  return { key: `${code}|${cert?.key ?? ''}`, label: cert ? `${code} · ${cert.label}` : String(code) };
}

function tcpOutcome(row: Row): Outcome | undefined {
  if (row.status !== 'ok') return undefined;
  const cert = certPart(row);
  return { key: `connected|${cert?.key ?? ''}`, label: cert ? `connected · ${cert.label}` : 'connected' };
}

function pingOutcome(row: Row): Outcome | undefined {
  if (row.status !== 'ok') return undefined;
  // Loss in buckets: 10% and 20% are both "lossy"; exact figures belong to the chart.
  const loss = lossRatio(row) ?? 0;
  return loss === 0 ? { key: 'no-loss', label: 'all answered' } : { key: 'loss', label: 'answered, with loss' };
}

/** The ordered hop addresses; "???" for a silent hop, as mtr prints it. */
export function pathText(row: Row): string {
  return mtrHops(row.result)
    .map((h) => h.ip || '???')
    .join(' › ');
}

function mtrOutcome(row: Row): Outcome | undefined {
  const hops = mtrHops(row.result);
  if (hops.length === 0) return undefined;
  const hash = metric(row.result, 'probe_mtr_path_hash');
  const text = pathText(row);
  return { key: hash === undefined ? text : String(hash), label: `${hops.length} hop${hops.length === 1 ? '' : 's'}: ${text}` };
}

const BY_TYPE: Record<string, (row: Row) => Outcome | undefined> = {
  dns: dnsOutcome,
  http: httpOutcome,
  tcp: tcpOutcome,
  icmp: pingOutcome,
  mtr: mtrOutcome,
};

/**
 * What a row got: its status, then the test's own outcome (answer set and rcode, status code and
 * certificate, connected or not, the path), then the ASN of the connected address when known.
 * A row that failed without such an outcome is keyed by its reason.
 */
export function outcomeOf(type: string, row: Row): Outcome {
  const own = row.result ? BY_TYPE[type]?.(row) : undefined;
  const asn = connectedAsn(row.result?.details);
  const parts: Outcome[] = [];
  if (own) parts.push(own);
  if (row.status !== 'ok' || !own) parts.push({ key: reasonText(row), label: row.status === 'ok' ? 'ok' : reasonText(row) });
  if (asn) parts.push({ key: `AS${asn.number}`, label: asnText(asn) });
  return { key: [row.status, ...parts.map((p) => p.key)].join('\u0000'), label: parts.map((p) => p.label).join(' · ') };
}

/** Rows grouped by outcome: the largest group first, then ok before failures, then by label. */
export function groupRows(type: string, rows: readonly Row[]): Group[] {
  const manyTargets = new Set(rows.map((r) => r.target)).size > 1;
  const by = new Map<string, { outcome: Outcome; rows: Row[] }>();
  for (const row of rows) {
    const o = outcomeOf(type, row);
    const g = by.get(o.key);
    if (g) g.rows.push(row);
    else by.set(o.key, { outcome: o, rows: [row] });
  }
  const groups = [...by.values()].map(({ outcome, rows: rs }): Group => {
    const sorted = [...rs].sort((a, b) => a.agent.localeCompare(b.agent) || a.target.localeCompare(b.target));
    return {
      key: outcome.key,
      label: outcome.label,
      status: sorted[0]!.status,
      rows: sorted,
      members: sorted.map((r) => (manyTargets ? `${r.agent} → ${r.target}` : r.agent)),
      count: sorted.length,
      share: rows.length === 0 ? 0 : sorted.length / rows.length,
      majority: false,
      outlier: false,
    };
  });
  groups.sort((a, b) => b.count - a.count || Number(b.status === 'ok') - Number(a.status === 'ok') || a.label.localeCompare(b.label));
  const [first, second] = groups;
  if (first && (!second || first.count > second.count)) {
    first.majority = true;
    for (const g of groups.slice(1)) g.outlier = true;
  }
  return groups;
}

/** Whether to print groups: `--group` / `--no-group` when given, else above the default size. */
export function wantGroups(flag: boolean | undefined, rowCount: number): boolean {
  return flag ?? rowCount > GROUP_BY_DEFAULT_ABOVE;
}
