import type { Command } from 'commander';
import type { ProberCatalog } from '../../lib/probers/catalog.js';
import { collect, type Runner, UsageError } from '../context.js';
import { runMeasurements } from './run.js';

/**
 * A command for every test type in the catalog that has no hand-made one (a newly added prober):
 * `pulse NAME TARGET [-o key=value]...`, the options being the prober's module section.
 */
export function addGenericTestCommands(program: Command, run: Runner, catalog: ProberCatalog): void {
  const taken = new Set(program.commands.map((c) => c.name()));
  for (const t of catalog.tests()) {
    if (taken.has(t.command)) continue;
    program
      .command(t.command)
      .description(`${t.summary} (the ${t.type} prober)`)
      .argument('<target>', t.target)
      .option('-o, --option <key=value>', `a ${t.type}: module option, value as JSON or text; repeatable`, collect)
      .action(async function (this: Command, target: string) {
        await run(this, async (g, io) => {
          const options = parseOptions(this.opts<{ option?: string[] }>().option ?? []);
          const request = { type: t.type, target, options, agents: g.agents, ...(g.timeout === undefined ? {} : { timeout: g.timeout }) };
          return runMeasurements({ requests: [request], targetTitle: 'TARGET' }, g, io);
        });
      });
  }
}

/** `key=value` pairs; a value that parses as JSON is taken as such (numbers, booleans, objects). */
export function parseOptions(pairs: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq < 1) throw new UsageError(`--option "${pair}" is not key=value`);
    const raw = pair.slice(eq + 1);
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      // plain text
    }
    out[pair.slice(0, eq)] = value;
  }
  return out;
}
