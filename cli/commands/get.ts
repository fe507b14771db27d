import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from 'commander';
import type { HubClient } from '../../client/http.js';
import { hubClient } from '../client.js';
import type { Measurement } from '../../client/api.js';
import { EXIT, type Globals, type Io, type Runner, UsageError } from '../context.js';
import { wantGroups } from '../../client/group.js';
import { measurementTitle } from '../../client/title.js';
import { groupLines } from '../format/groups.js';
import { summaryLine } from '../format/results.js';
import { LiveTable, summaryExit } from '../live.js';
import { isOperationHandle, showOperation } from '../operation-view.js';

const POLL_MS = 500;

/**
 * `pulse get ID`: a measurement by id, or a host-check operation by its handle (op_…, shown by
 * cli/operation-view.ts).
 */
export function addGetCommand(program: Command, run: Runner): void {
  program
    .command('get')
    .description('show a measurement again by its id (printed after each run), or an operation by its handle (op_…)')
    .argument('<id>', 'measurement id, or operation handle from pulse op')
    .option('-w, --wait', 'wait until every agent has answered')
    .action(async function (this: Command, id: string) {
      await run(this, async (g, io) => {
        if (!/^[A-Za-z0-9_-]{1,128}$/.test(id)) throw new UsageError(`"${id}" is not a measurement id`);
        const client = hubClient(g.hub, g.dispatcher);
        const wait = this.opts<{ wait?: boolean }>().wait === true;
        if (isOperationHandle(id)) return showOperation(id, { hub: g.hub, dispatcher: g.dispatcher, json: g.json, wait, colour: g.colour }, io);
        const m = wait ? await waitFor(client, id, g) : await client.measurement(id);
        return show(m, g, io);
      });
    });
}

async function waitFor(client: HubClient, id: string, g: Globals): Promise<Measurement> {
  let m = await client.measurement(id);
  // The hub finishes a measurement by its own timeout; the extra margin only guards a stuck hub.
  const deadline = Date.now() + ((g.timeout ?? m.timeout) + 30) * 1000;
  while (m.status !== 'done' && Date.now() < deadline) {
    await sleep(POLL_MS);
    m = await client.measurement(id);
  }
  return m;
}

function show(m: Measurement, g: Globals, io: Io): 0 | 1 {
  if (g.json) {
    for (const r of m.rows) io.stdout.write(`${JSON.stringify(r)}\n`);
  } else {
    const targets = new Set(m.rows.map((r) => r.target));
    const table = new LiveTable(io.stdout, {
      type: m.type,
      showTarget: targets.size > 1,
      targetTitle: m.type === 'dns' ? 'RESOLVER' : 'TARGET',
      tty: false,
      colour: g.colour,
      timeoutSeconds: m.timeout,
    });
    for (const r of m.rows) table.add(r);
    const head = `${measurementTitle(m)} · ${m.status === 'done' ? `done ${m.finished_at ?? ''}` : 'still running'}`;
    const groups = wantGroups(g.group, m.rows.length) && m.rows.length > 0 ? groupLines(m.type, m.rows, g.colour) : [];
    table.finish([...groups, summaryLine(m.summary), head.trim()]);
  }
  if (m.status !== 'done') {
    io.stderr.write(`pulse: measurement ${m.id} is still running; pulse get --wait ${m.id} waits for it\n`);
    return EXIT.FAILED;
  }
  return m.rows.length === 0 ? EXIT.FAILED : summaryExit(m.summary);
}
