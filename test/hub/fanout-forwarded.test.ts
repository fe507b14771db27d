import { describe, expect, test } from 'vitest';
import type { CallOutcome } from '../../hub/agent-client.js';
import { fanOut } from '../../hub/fanout.js';
import type { AgentLink, AgentLinks } from '../../hub/links/types.js';
import type { Row } from '../../hub/measurement.js';
import { ConcurrencyQueue } from '../../hub/queue.js';
import type { AgentView } from '../../hub/registry.js';
import type { RunRequest, RunResponse } from '../../lib/wire.js';

const agent = (name: string): AgentView => ({
  name,
  labels: {},
  url: 'https://127.0.0.1:1',
  version: 't',
  protocol: 1,
  probers: ['tcp'],
  ip_versions: [4],
  active: true,
  last_seen: new Date().toISOString(),
  refused: null,
});

/**
 * Links whose calls answer only once `together` calls are in flight at the same time: with a
 * queue of one slot, that happens only if the calls do not take the caller's slots.
 */
function linksAnsweringTogether(together: number, forwards: boolean): AgentLinks {
  const waiting: Array<() => void> = [];
  const link: AgentLink = {
    mode: 'dial-out',
    forwards,
    relay: () => Promise.reject(new Error('not used')),
    run(body: RunRequest): Promise<CallOutcome> {
      const response: RunResponse = {
        protocol: 1,
        type: body.type,
        target: body.target,
        success: true,
        duration_seconds: 0,
        timeout_seconds: body.timeout_seconds ?? 0,
        metrics: {},
        details: {},
        logs: [],
      };
      return new Promise((resolve) => {
        waiting.push(() => resolve({ kind: 'answer', response }));
        if (waiting.length === together) for (const w of waiting) w();
      });
    },
  };
  return { link: () => link, close: async () => undefined };
}

describe("calls forwarded to another replica and the caller's fan-out slots", () => {
  const job = { type: 'tcp', targets: ['ok.test:1'], options: {}, timeoutSeconds: 0.5, agents: [agent('a'), agent('b'), agent('c')] };

  test('a forwarded call takes no slot here: three run at once through a queue of one', async () => {
    const rows: Row[] = [];
    await fanOut(job, { links: linksAnsweringTogether(3, true), queue: new ConcurrencyQueue(1) }, (r) => rows.push(r));
    expect(rows.map((r) => [r.agent, r.status])).toEqual([
      ['a', 'ok'],
      ['b', 'ok'],
      ['c', 'ok'],
    ]);
  });

  test("a call of this replica's own waits for a slot: one at a time, so these never answer (timeout rows, none missing)", async () => {
    const rows: Row[] = [];
    await fanOut(job, { links: linksAnsweringTogether(3, false), queue: new ConcurrencyQueue(1) }, (r) => rows.push(r));
    expect(rows.map((r) => r.status).sort()).toEqual(['timeout', 'timeout', 'timeout']);
  });
});
