import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { asPath, hopAs } from '../../../client/as-path.js';
import { mtrHops } from '../../../client/details.js';
import { addCsv } from '../../../hub/asn/csv.js';
import { rowEnricher } from '../../../hub/asn/enrich.js';
import { parseIp } from '../../../hub/asn/ip.js';
import { AsnRangeIndexBuilder } from '../../../hub/asn/range-index.js';
import type { Row } from '../../../hub/measurement.js';
import { mtrProber } from '../../../exporter/probers/mtr.js';
import { runProbe } from '../../helpers/icmp-mtr.js';
import { buildNetnsPath, type NetnsPath, netnsSkipReason } from '../../helpers/netns.js';

const skip = netnsSkipReason();

/**
 * Real mtr over a namespace path root → R1 → R2 → far end. The path's links are private
 * addresses, which the hub never looks up; the test maps them to ASNs with its own table (R1 and
 * R2 in AS64500, the far end in AS64501) and hands that to the hub's row enricher.
 */
describe.skipIf(skip !== undefined)('ASN per mtr hop', () => {
  let path: NetnsPath;
  beforeAll(async () => {
    path = await buildNetnsPath(2);
  }, 60_000);
  afterAll(async () => path?.teardown());

  test('each hop carries its AS, the far end is marked as a boundary, the CLI shows the AS path', async () => {
    const outcome = await runProbe(mtrProber, 'mtr', path.far, { packets: 2, interval: '100ms' });
    expect(outcome.success).toBe(true);
    const prefix = (ip: string) => ip.split('.').slice(0, 3).join('.');
    const [h1, h2, far] = path.hops as [string, string, string];
    const b = new AsnRangeIndexBuilder();
    addCsv(b, [`${prefix(h1)}.0,${prefix(h1)}.255,64500,Transit One`, `${prefix(h2)}.0,${prefix(h2)}.255,64500,Transit One`, `${prefix(far)}.0,${prefix(far)}.255,64501,"Far, Inc."`].join('\n'), 4);
    const index = b.build();
    const enrich = rowEnricher(async (ip) => {
      const hit = index.lookup(parseIp(ip)!);
      return hit ? { asn: `AS${hit.asn}`, name: hit.name, source: 'test' } : undefined;
    });
    const row: Row = {
      agent: 'a1',
      labels: {},
      target: path.far,
      status: 'ok',
      duration_seconds: outcome.durationSeconds,
      result: { protocol: 1, type: 'mtr', target: path.far, success: true, duration_seconds: 0, timeout_seconds: 10, metrics: {}, details: outcome.details, logs: [] },
    };
    const enriched = await enrich(row);
    const hops = enriched.result!.details.hops as Array<{ ip: string; asn?: string; as_name?: string; as_boundary?: boolean }>;
    expect(hops.map((h) => [h.ip, h.asn, h.as_name, h.as_boundary])).toEqual([
      [h1, 'AS64500', 'Transit One', false],
      [h2, 'AS64500', 'Transit One', false],
      [far, 'AS64501', 'Far, Inc.', true],
    ]);
    // The connected address (the far end) gets its AS too.
    expect(enriched.result!.details).toMatchObject({ address: far, asn: 'AS64501' });
    const cliHops = mtrHops(enriched.result as Parameters<typeof mtrHops>[0]);
    expect(asPath(cliHops)).toBe('AS64500 › AS64501');
    expect(cliHops.map(hopAs)).toEqual(['AS64500 Transit One', 'AS64500 Transit One', '→ AS64501 Far, Inc.']);
    // The original row is not changed (it may be shared with other listeners).
    expect((row.result!.details.hops as Array<{ asn?: string }>)[0]?.asn).toBeUndefined();
  }, 60_000);

  test('a source that never answers does not hold the row back', async () => {
    const enrich = rowEnricher(() => new Promise(() => undefined), 50);
    const row: Row = { agent: 'a', labels: {}, target: 't', status: 'ok', duration_seconds: 0, result: { protocol: 1, type: 'tcp', target: 't', success: true, duration_seconds: 0, timeout_seconds: 1, metrics: {}, details: { ip: '8.8.8.8' }, logs: [] } };
    expect(await enrich(row)).toBe(row);
  });
});
