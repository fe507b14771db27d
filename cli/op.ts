import { readFile } from 'node:fs/promises';
import { Command } from 'commander';
import { isPulseError } from '../lib/errors.js';
import { parseOperationsText } from '../lib/operations.js';
import { errorText } from './errors.js';
import { EXIT, type ExitCode, type Io, type RawGlobals, resolveGlobals, UsageError } from './context.js';
import { hubClient } from './client.js';
import { showOperation } from './operation-view.js';

const HELP_AFTER = `
FILE is werify's operations file, JSON or YAML: check name → {type, path, check}, with type
file_exists, file_contains or process_running ("-" reads it from standard input):
  {"hosts_has_db": {"type": "file_contains", "path": "/etc/hosts", "check": "db.internal"}}

  pulse op ops.json --agents site=ams     prints the handle
  pulse get HANDLE --wait                 the table, once every agent has answered

Exit status: 0 submitted (with --wait: every check passed on every agent), 1 (with --wait) any
check failed, timed out or found its agent offline, 2 usage error or the hub refused or could not
be reached.
`;

/**
 * `pulse op FILE`: submits a host-check operation to the hub and prints its handle; the global
 * --hub, --agents, --timeout and --json apply. The exit status goes to `setExit`.
 */
export function opCommand(io: Io, setExit: (code: ExitCode) => void): Command {
  return new Command('op')
    .description('run an operations file of host checks (werify) on every agent; prints a handle for pulse get')
    .argument('<file>', 'operations file (JSON or YAML), or - for standard input')
    .option('-w, --wait', 'wait for every agent and print the results table instead of the handle')
    .addHelpText('after', HELP_AFTER)
    .action(async function (this: Command, file: string) {
      try {
        setExit(await submit(this, file, io));
      } catch (err) {
        io.stderr.write(`pulse: ${errorText(err)}\n`);
        setExit(EXIT.USAGE);
      }
    });
}

async function submit(cmd: Command, file: string, io: Io): Promise<ExitCode> {
  const g = resolveGlobals(cmd.optsWithGlobals<RawGlobals>(), io);
  const wait = cmd.opts<{ wait?: boolean }>().wait === true;
  const source = file === '-' ? 'standard input' : file;
  let text: string;
  try {
    text = file === '-' ? await io.readStdin() : await readFile(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${source}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let operations: Record<string, unknown>;
  try {
    // Checked here too, so a mistake in the file shows before any agent is asked.
    operations = parseOperationsText(text, source);
  } catch (err) {
    throw new UsageError(isPulseError(err) ? err.message : String(err));
  }
  const submitted = await hubClient(g.hub, g.dispatcher).submitOperation({ operations, agents: g.agents, ...(g.timeout === undefined ? {} : { timeout: g.timeout }) });
  if (wait) return showOperation(submitted.handle, { hub: g.hub, dispatcher: g.dispatcher, json: g.json, wait: true, colour: g.colour }, io);
  if (g.json) io.stdout.write(`${JSON.stringify(submitted)}\n`);
  else io.stdout.write(`Operation submitted. To check progress, run: pulse get ${submitted.handle}\n`);
  return EXIT.OK;
}
