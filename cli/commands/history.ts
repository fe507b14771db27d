import type { Command } from 'commander';
import { hubClient } from '../client.js';
import type { HistoryParams, HistoryRow } from '../../client/api.js';
import { EXIT, parsePositiveInt, type Runner } from '../context.js';
import { trendSets } from '../../client/trend-series.js';
import { historyTable } from '../format/history.js';
import { layoutTable } from '../format/table.js';
import { trendLines } from '../format/trend.js';

/** The hub gives at most this many rows a page; --limit above it takes several pages. */
const PAGE = 1000;

interface HistoryOptions {
  type?: string;
  agent?: string;
  since?: string;
  until?: string;
  limit: string;
  trend?: boolean;
}

/** `pulse history [TARGET]`: past rows from the hub's store, newest first. */
export function addHistoryCommand(program: Command, run: Runner): void {
  program
    .command('history')
    .description('past results, newest first: the same test over time, per agent')
    .argument('[target]', 'only this target (as the test named it: host, URL, host:port)')
    .option('--type <type>', 'only this test type (dns, http, tcp, icmp, mtr)')
    .option('--agent <name>', 'only this agent')
    .option('--since <time>', 'from this time: RFC 3339, or a duration ago like 24h')
    .option('--until <time>', 'up to this time: RFC 3339, or a duration ago')
    .option('-n, --limit <rows>', 'at most this many rows', '50')
    .option('--trend', 'per test and agent: runs, failures, min/median/max and a sparkline over time')
    .action(async function (this: Command, target: string | undefined) {
      await run(this, async (g, io) => {
        const o = this.opts<HistoryOptions>();
        const limit = parsePositiveInt('--limit', o.limit);
        const client = hubClient(g.hub, g.dispatcher);
        const base: HistoryParams = { type: o.type, agent: o.agent, since: o.since, until: o.until, target };
        const rows: HistoryRow[] = [];
        let cursor: string | undefined;
        do {
          const page = await client.history({ ...base, limit: Math.min(PAGE, limit - rows.length), ...(cursor ? { cursor } : {}) });
          rows.push(...page.rows);
          cursor = page.next ?? undefined;
        } while (cursor && rows.length < limit);
        if (g.json) {
          for (const r of rows) io.stdout.write(`${JSON.stringify(r)}\n`);
        } else if (rows.length === 0) {
          io.stdout.write('no stored results match\n');
        } else if (o.trend) {
          io.stdout.write(`${trendLines(trendSets(rows)).join('\n')}\n`);
        } else {
          io.stdout.write(`${layoutTable(historyTable(rows)).join('\n')}\n`);
        }
        return EXIT.OK;
      });
    });
}
