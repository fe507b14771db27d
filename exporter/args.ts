import { parseArgs } from 'node:util';

/**
 * The exporter's command line, read with node:util's parseArgs rather than commander (which the
 * hub and the CLI use): commander and the node:child_process it loads cost the agent about 20 ms
 * of every start-up (docs/performance.md), for six options. The help text keeps commander's layout.
 */

export interface ExporterArgs {
  config: string;
  listen?: string;
  checkConfig: boolean;
  logLevel: string;
  workers: number;
}

export type ParsedArgs = { kind: 'run'; args: ExporterArgs } | { kind: 'print'; text: string } | { kind: 'error'; message: string };

const OPTIONS = [
  { flag: '--config <file>', help: 'configuration file (default: "config/pulse.yml")' },
  { flag: '--listen <host:port>', help: 'address to listen on (overrides exporter.listen)' },
  { flag: '--check-config', help: 'validate the configuration file and exit (0 valid, 1 invalid)' },
  { flag: '--log-level <level>', help: 'debug, info, warn or error (default: "info")' },
  { flag: '--workers <n>', help: 'processes serving /probe on one port (node:cluster), to use several cores (default: 1)' },
  { flag: '-V, --version', help: 'output the version number' },
  { flag: '-h, --help', help: 'display help for command' },
] as const;

export function helpText(): string {
  const width = Math.max(...OPTIONS.map((o) => o.flag.length)) + 2;
  return [
    'Usage: pulse-exporter [options]',
    '',
    'Pulse exporter: blackbox_exporter-compatible /probe, plus mtr, multi-packet ping and host checks',
    '',
    'Options:',
    ...OPTIONS.map((o) => `  ${o.flag.padEnd(width)}${o.help}`),
    '',
  ].join('\n');
}

/** argv without node and the script; pure, so the rules are tested without starting anything. */
export function parseExporterArgs(argv: readonly string[], version: string): ParsedArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        config: { type: 'string', default: 'config/pulse.yml' },
        listen: { type: 'string' },
        'check-config': { type: 'boolean', default: false },
        'log-level': { type: 'string', default: 'info' },
        workers: { type: 'string', default: '1' },
        version: { type: 'boolean', short: 'V' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    return { kind: 'error', message: `${(err as Error).message}\n(see pulse-exporter --help)` };
  }
  if (values.help) return { kind: 'print', text: helpText() };
  if (values.version) return { kind: 'print', text: `${version}\n` };
  const workers = Number(values.workers);
  if (!Number.isInteger(workers) || workers < 1 || workers > 256) {
    return { kind: 'error', message: `--workers ${String(values.workers)}: expected an integer from 1 to 256` };
  }
  const args: ExporterArgs = {
    config: String(values.config),
    checkConfig: values['check-config'] === true,
    logLevel: String(values['log-level']),
    workers,
  };
  if (typeof values.listen === 'string') args.listen = values.listen;
  return { kind: 'run', args };
}
