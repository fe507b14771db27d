import { stringify } from 'yaml';
import type { Module } from '../lib/config/module.js';
import { renderExposition } from '../lib/probe/exposition.js';
import type { MetricFamily, Sample } from '../lib/probe/metrics.js';
import { formatLogLine } from '../lib/probe/logger.js';
import { redactSecrets } from '../lib/redact.js';
import type { ProbeOutcome } from './probe.js';

/** The module with secrets replaced, for `debug=true` output. */
export function redactModule(mod: Module): unknown {
  return redactSecrets(mod);
}

/** blackbox_exporter's debug page: the probe's logs, its metrics, and the module it ran with. */
export function renderDebug(outcome: ProbeOutcome, mod: Module): string {
  return [
    'Logs for the probe:',
    ...outcome.logs.map(formatLogLine),
    '',
    '',
    'Metrics that would have been returned:',
    renderExposition(sortedFamilies(outcome)),
    '',
    'Module configuration:',
    stringify(redactModule(mod)),
  ].join('\n');
}

/**
 * Families by name and samples by label values, as Go's Prometheus client gathers them, so output
 * diffs cleanly against blackbox's (dns phases print connect, request, resolve).
 */
export function sortedFamilies(outcome: ProbeOutcome): MetricFamily[] {
  return outcome.metrics
    .list()
    .sort((a, b) => compareText(a.name, b.name))
    .map((f) => ({ ...f, samples: [...f.samples].sort(compareSamples) }));
}

/** Go's MetricSorter: label values compared in the order of the sorted label names. */
function compareSamples(a: Sample, b: Sample): number {
  const names = Object.keys(a.labels).sort();
  for (const name of names) {
    const order = compareText(a.labels[name] ?? '', b.labels[name] ?? '');
    if (order !== 0) return order;
  }
  return 0;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
