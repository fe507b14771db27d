import { Command, Option } from 'commander';
import { CERT_KINDS, type CertKind, initCa, issueFiles } from '../lib/pki.js';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function fail(err: unknown): void {
  process.stderr.write(`pulse certs: ${(err as Error).message}\n`);
  process.exitCode = 1;
}

/** `--days` as a positive whole number, or undefined after a usage error (exit 2). */
function days(raw: string): number | undefined {
  if (/^[0-9]+$/.test(raw) && Number(raw) > 0 && Number(raw) <= 36_500) return Number(raw);
  process.stderr.write(`pulse certs: --days must be a whole number of days from 1 to 36500, not "${raw.slice(0, 40)}"\n`);
  process.exitCode = 2;
  return undefined;
}

/** `pulse certs init|issue`: the built-in PKI, so no EasyRSA is needed. */
export function certsCommand(): Command {
  const certs = new Command('certs').description('make a Pulse CA and the certificates it signs (ECDSA P-256)');

  certs
    .command('init')
    .description('create a CA: DIR/ca.crt and DIR/ca.key (mode 0600)')
    .requiredOption('--dir <dir>', 'directory for the CA and certificates')
    .option('--name <cn>', 'the CA certificate\'s common name', 'Pulse CA')
    .option('--days <n>', 'validity in days', '3650')
    .action(async (o: { dir: string; name: string; days: string }) => {
      const d = days(o.days);
      if (d === undefined) return;
      try {
        const files = await initCa(o.dir, { name: o.name, days: d });
        process.stdout.write(`created ${files.certFile}\ncreated ${files.keyFile} (keep it secret: it signs every Pulse certificate)\n`);
      } catch (err) {
        fail(err);
      }
    });

  certs
    .command('issue')
    .description('issue DIR/NAME.crt and DIR/NAME.key signed by DIR/ca.*')
    .requiredOption('--dir <dir>', 'directory holding ca.crt and ca.key')
    .addOption(new Option('--kind <kind>', 'server (the hub), agent (an exporter) or client (users, Prometheus)').choices(CERT_KINDS).makeOptionMandatory())
    .requiredOption('--name <name>', 'common name; an agent\'s name in the hub')
    .option('--host <host>', 'DNS name or IP address for subjectAltName (repeatable; server and agent)', collect, [])
    .option('--days <n>', 'validity in days', '825')
    .option('--force', 'replace existing files of that name')
    .action(async (o: { dir: string; kind: CertKind; name: string; host: string[]; days: string; force?: boolean }) => {
      const d = days(o.days);
      if (d === undefined) return;
      try {
        if (o.kind === 'client' && o.host.length > 0) throw new Error('--host is for server and agent certificates');
        const files = await issueFiles(o.dir, { kind: o.kind, name: o.name, hosts: o.host, days: d, force: o.force ?? false });
        process.stdout.write(`created ${files.certFile}\ncreated ${files.keyFile}\n`);
      } catch (err) {
        fail(err);
      }
    });
  return certs;
}
