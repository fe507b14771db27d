import { describe, expect, it } from 'vitest';
import { helpText, parseExporterArgs } from '../../exporter/args.js';

describe('the exporter command line', () => {
  it('gives the defaults when nothing is given', () => {
    expect(parseExporterArgs([], '1.2.3')).toEqual({ kind: 'run', args: { config: 'config/pulse.yml', checkConfig: false, logLevel: 'info', workers: 1 } });
  });

  it('reads every option, in both spellings parseArgs takes', () => {
    const r = parseExporterArgs(['--config=a.yml', '--listen', '127.0.0.1:0', '--check-config', '--log-level', 'debug', '--workers', '3'], 'v');
    expect(r).toEqual({ kind: 'run', args: { config: 'a.yml', listen: '127.0.0.1:0', checkConfig: true, logLevel: 'debug', workers: 3 } });
  });

  it('prints the version and the help, which lists every option', () => {
    expect(parseExporterArgs(['-V'], '1.2.3')).toEqual({ kind: 'print', text: '1.2.3\n' });
    const help = parseExporterArgs(['--help'], 'v');
    expect(help).toEqual({ kind: 'print', text: helpText() });
    for (const flag of ['--config <file>', '--listen <host:port>', '--check-config', '--log-level <level>', '--workers <n>', '-V, --version', '-h, --help']) {
      expect(helpText()).toContain(`  ${flag} `);
    }
  });

  it('refuses unknown options, stray arguments, missing values and bad worker counts with a reason', () => {
    const message = (argv: string[]) => {
      const r = parseExporterArgs(argv, 'v');
      return r.kind === 'error' ? r.message : `not refused: ${JSON.stringify(r)}`;
    };
    expect(message(['--nope'])).toMatch(/Unknown option '--nope'/);
    expect(message(['extra'])).toMatch(/Unexpected argument 'extra'/);
    expect(message(['--config'])).toMatch(/--config <value>' argument missing/);
    for (const bad of ['two', '0', '257', '1.5']) expect(message(['--workers', bad])).toBe(`--workers ${bad}: expected an integer from 1 to 256`);
  });
});
