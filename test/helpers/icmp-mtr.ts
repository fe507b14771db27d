/** Shared by the icmp and mtr prober tests: run one probe as /probe would, and lint its exposition. */
import { execa } from 'execa';
import Value from 'typebox/value';
import { adHocModule } from '../../lib/config/adhoc.js';
import { ExporterSettings } from '../../lib/config/exporter.js';
import type { ProberName } from '../../lib/config/module.js';
import { renderExposition } from '../../lib/probe/exposition.js';
import type { Prober } from '../../lib/probe/types.js';
import { executeProbe, type ProbeOutcome } from '../../exporter/probe.js';
import { sortedFamilies } from '../../exporter/debug.js';

export async function runProbe<P extends ProberName>(
  prober: Prober<P>,
  type: P,
  target: string,
  options: Record<string, unknown> = {},
  timeoutSeconds = 10,
): Promise<ProbeOutcome> {
  const module = adHocModule(type, options);
  const exporter = Value.Default(ExporterSettings, {}) as ExporterSettings;
  const reason = prober.validateTarget(target, module[type] as never);
  if (reason) throw new Error(`target refused: ${reason}`);
  return executeProbe(prober as Prober, exporter, { module, target }, timeoutSeconds, undefined);
}

export function exposition(outcome: ProbeOutcome): string {
  return renderExposition(sortedFamilies(outcome));
}

/** `promtool check metrics` on the text; resolves with its complaints (empty when clean). */
export async function promtoolProblems(text: string): Promise<string> {
  const r = await execa('promtool', ['check', 'metrics'], { input: text, reject: false });
  return r.exitCode === 0 ? '' : `${String(r.stdout)}${String(r.stderr)}`.trim() || `exit ${r.exitCode}`;
}

/** Metric names with their label names, e.g. `probe_icmp_duration_seconds{phase}`, from an exposition. */
export function seriesShapes(text: string): Set<string> {
  const shapes = new Set<string>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([^}]*)\})?\s/.exec(line);
    if (!m) continue;
    const labels = m[3] ? [...m[3].matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="/g)].map((x) => x[1]).sort() : [];
    shapes.add(labels.length ? `${m[1]}{${labels.join(',')}}` : m[1]!);
  }
  return shapes;
}

/** One sample's value from an exposition, by name and exact label text (e.g. `{phase="rtt"}`). */
export function sampleValue(text: string, series: string): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith(`${series} `)) return Number(line.slice(series.length + 1));
  }
  return undefined;
}

/** Sets the process up to run a tool as `nobody` from a copy without file capabilities. */
export const NOBODY = ['--reuid=nobody', '--regid=nogroup', '--clear-groups'];
