import type { ProbeLogger, ProbeLogLevel, ProbeLogLine } from './types.js';

export function createProbeLogger(startedAt: number = performance.now()): ProbeLogger {
  const lines: ProbeLogLine[] = [];
  const log = (level: ProbeLogLevel) => (msg: string, fields?: Record<string, unknown>) => {
    const line: ProbeLogLine = { at: (performance.now() - startedAt) / 1000, level, msg };
    if (fields) line.fields = fields;
    lines.push(line);
  };
  return {
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    lines: () => lines,
  };
}

const noop = () => {};
const SILENT: ProbeLogger = { debug: noop, info: noop, warn: noop, error: noop, lines: () => [] };

/** For probes whose logs nobody will read (a plain /probe scrape): keeps nothing. */
export function silentProbeLogger(): ProbeLogger {
  return SILENT;
}

export function formatLogLine(l: ProbeLogLine): string {
  const fields = l.fields
    ? Object.entries(l.fields)
        .map(([k, v]) => ` ${k}=${typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v ?? null)}`)
        .join('')
    : '';
  return `ts=${l.at.toFixed(6)}s level=${l.level} msg=${JSON.stringify(l.msg)}${fields}`;
}
