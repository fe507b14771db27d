import type { Command } from 'commander';
import { hubClient } from '../client.js';
import { EXIT, type Runner } from '../context.js';
import { agentsTable } from '../format/results.js';
import { layoutTable } from '../format/table.js';

export function addAgentsCommand(program: Command, run: Runner): void {
  program
    .command('agents')
    .description('list the agents the hub knows: online or offline, labels, version, last seen')
    .action(async function (this: Command) {
      await run(this, async (g, io) => {
        const agents = await hubClient(g.hub, g.dispatcher).agents();
        if (g.json) {
          for (const a of agents) io.stdout.write(`${JSON.stringify(a)}\n`);
          return EXIT.OK;
        }
        if (agents.length === 0) {
          io.stdout.write('no agents have registered with this hub yet\n');
          return EXIT.OK;
        }
        io.stdout.write(`${layoutTable(agentsTable(agents, new Date())).join('\n')}\n`);
        const online = agents.filter((a) => a.active && !a.refused).length;
        io.stdout.write(`${online} of ${agents.length} online\n`);
        return EXIT.OK;
      });
    });
}
