import { Command, CommanderError } from 'commander';
import { pulseVersion } from '../lib/version.js';
import { addAgentsCommand } from './commands/agents.js';
import { addGetCommand } from './commands/get.js';
import { addHistoryCommand } from './commands/history.js';
import { addTestCommands } from './commands/tests.js';
import { addBurstCommands } from './commands/burst.js';
import { addGenericTestCommands } from './commands/generic.js';
import { proberCatalog } from '../lib/probers/catalog.js';
import { collect, DEFAULT_HUB, EXIT, type ExitCode, type Io, type RawGlobals, type Runner, resolveGlobals } from './context.js';
import { errorText } from './errors.js';

const HELP_AFTER = `
Run a test on every agent (or those matching --agents) and watch the answers arrive:
  pulse dns example.org --type AAAA --resolver 192.0.2.53
  pulse http https://example.org/ --agents region=eu
  pulse mtr example.org -6 --packets 5
  pulse ping example.org
  pulse tcp example.org:443 --json

Commands can be read from standard input, one per line (global options apply to each):
  printf 'dns example.org\\nping example.org\\n' | pulse --agents region=eu -

Past results, newest first (kept by the hub for hub.retention):
  pulse history example.org:443 --agent ams --since 24h

Output: an aligned table (a progress line too when writing to a terminal), or with --json one
JSON line per agent (the hub's Row objects), for scripts. Under the table, with --group or when
there are more than 5 rows, the rows grouped by what they got: the majority first, outliers marked.

Exit status:
  0  every agent answered ok
  1  any agent failed, timed out or was offline (or no agent matched)
  2  usage error, the hub refused the request, or the hub could not be reached

Environment:
  PULSE_HUB  the hub's address when --hub is not given (default ${DEFAULT_HUB})
  PULSE_TOKEN  as --token (kept out of the shell history and ps)
  PULSE_CACERT, PULSE_CERT, PULSE_KEY  as --cacert, --cert, --key
  NO_COLOR   no colours on a terminal
`;

const OTHER_COMMANDS = ['agents', 'get', 'history', 'certs', 'tokens', 'op', 'help'];

/** Every sub-command name: the test types come from the prober catalog. */
export function commandNames(): string[] {
  return [...OTHER_COMMANDS, ...proberCatalog().tests().map((t) => t.command)];
}

export interface ProgramState {
  exit: ExitCode;
}

/** The `pulse` command, writing to `io`; the exit status lands in `state.exit`. */
export function createProgram(io: Io, state: ProgramState, extra: Command[] = []): Command {
  const program = new Command('pulse')
    .description('Run network tests from every Pulse agent at once, and list the agents')
    .version(pulseVersion())
    .option('--hub <url>', `the hub's user API (env PULSE_HUB, default ${DEFAULT_HUB})`)
    .option('--cacert <file>', 'CA certificate for an https hub (env PULSE_CACERT)')
    .option('--cert <file>', 'client certificate, for a hub that requires one (env PULSE_CERT)')
    .option('--key <file>', 'the client certificate\'s key (env PULSE_KEY)')
    .option('--token <token>', 'API token for a hub that requires one (env PULSE_TOKEN; see pulse tokens create)')
    .option('-a, --agents <key=value>', 'only agents whose label key has this value; repeatable; name=AGENT picks one agent', collect)
    .option('--timeout <seconds>', 'how long agents get to answer, e.g. 10 or 30s (hub default 10, max 120)')
    .option('--json', 'one JSON line per agent instead of a table')
    .option('--group', 'also print the rows grouped by outcome, odd ones out marked (default when more than 5 rows)')
    .option('--no-group', 'never print the grouped outcomes')
    .option('--no-color', 'no colours on a terminal')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .showHelpAfterError('(pulse --help shows usage)')
    .addHelpText('after', HELP_AFTER);

  const run: Runner = async (cmd, work) => {
    try {
      const g = resolveGlobals(cmd.optsWithGlobals<RawGlobals>(), io);
      state.exit = await work(g, io);
    } catch (err) {
      state.exit = EXIT.USAGE;
      io.stderr.write(`pulse: ${errorText(err)}\n`);
    }
  };

  addAgentsCommand(program, run);
  addTestCommands(program, run);
  addBurstCommands(program, run);
  addGetCommand(program, run);
  addHistoryCommand(program, run);
  addGenericTestCommands(program, run, proberCatalog());
  for (const cmd of extra) {
    // Commands made elsewhere (pulse certs) get the same usage-error handling: exit 2, not 1.
    inherit(cmd, io);
    program.addCommand(cmd);
  }
  return program;
}

function inherit(cmd: Command, io: Io): void {
  cmd.exitOverride().configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  for (const sub of cmd.commands) inherit(sub, io);
}

/** Parses and runs one command line (without "node pulse"); resolves to the exit status. */
export async function runArgv(argv: string[], io: Io, extra: () => Command[] = () => []): Promise<ExitCode> {
  const state: ProgramState = { exit: EXIT.OK };
  const program = createProgram(io, state, extra());
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      const ok = err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0;
      return ok ? EXIT.OK : EXIT.USAGE;
    }
    io.stderr.write(`pulse: ${errorText(err)}\n`);
    return EXIT.USAGE;
  }
  return state.exit;
}
