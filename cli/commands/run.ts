import { hubClient } from '../client.js';
import { emptySummary, type MeasurementRequest, type Row, type Summary } from '../../client/api.js';
import { DEFAULTS } from '../../client/requests.js';
import { EXIT, type ExitCode, type Globals, type Io } from '../context.js';
import { wantGroups } from '../../client/group.js';
import { groupLines } from '../format/groups.js';
import { summaryLine } from '../format/results.js';
import { LiveTable, summaryExit } from '../live.js';

export interface RunPlan {
  /** One request per target (dns with several resolvers runs one measurement per resolver). */
  requests: MeasurementRequest[];
  /** Title of the target column, shown when there is more than one target. */
  targetTitle: string;
}

/**
 * Runs the measurements at once and shows rows as agents answer: NDJSON lines with --json,
 * otherwise the live table. Hub and connection errors propagate (exit 2 upstream).
 */
export async function runMeasurements(plan: RunPlan, g: Globals, io: Io): Promise<ExitCode> {
  const client = hubClient(g.hub, g.dispatcher);
  const type = plan.requests[0]!.type;
  const timeout = plan.requests[0]!.timeout ?? DEFAULTS.timeout;
  const table = g.json
    ? undefined
    : new LiveTable(io.stdout, { type, showTarget: plan.requests.length > 1, targetTitle: plan.targetTitle, tty: g.tty, colour: g.colour, timeoutSeconds: timeout });
  const ids: string[] = [];
  const total: Summary = emptySummary();
  const rows: Row[] = [];
  try {
    await Promise.all(
      plan.requests.map(async (req) => {
        for await (const item of client.measure(req)) {
          if ('row' in item) {
            rows.push(item.row);
            if (table) table.add(item.row);
            else io.stdout.write(`${JSON.stringify(item.row)}\n`);
          } else {
            ids.push(item.done.id);
            for (const k of Object.keys(total) as (keyof Summary)[]) total[k] += item.done.summary[k];
          }
        }
      }),
    );
  } catch (err) {
    table?.abort();
    throw err;
  }
  if (table) {
    const trailer = [...(wantGroups(g.group, rows.length) && rows.length > 0 ? groupLines(type, rows, g.colour) : []), summaryLine(total)];
    if (rows.length === 0) trailer.push('no agent matched the selector');
    if (ids.length > 0) trailer.push(`${ids.length === 1 ? 'id' : 'ids'}: ${ids.join(' ')}  (pulse get ID shows it again)`);
    table.finish(trailer);
  }
  if (rows.length === 0) {
    if (g.json) io.stderr.write('pulse: no agent matched the selector\n');
    return EXIT.FAILED;
  }
  return summaryExit(total);
}
