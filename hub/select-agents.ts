import { PulseError } from '../lib/errors.js';
import type { AgentView } from './registry.js';

/**
 * Selector keys that are not labels. `name` (in selector.ts) is the agent's certificate name;
 * `asn` the network of its public address as the hub saw it; `limit` caps how many agents run
 * the test; `same_as` picks the agents that answered an earlier measurement.
 */
export const SPECIAL_SELECTOR_KEYS = ['asn', 'limit', 'same_as'] as const;

const MAX_LIMIT = 100_000;

/** Checks the values of the special keys (400 with the reason). */
export function checkSpecialSelector(selector: Record<string, string>): void {
  const { asn, limit, same_as } = selector;
  if (asn !== undefined && !/^(AS)?[0-9]{1,10}$/i.test(asn)) throw new PulseError('PULSE_BAD_SELECTOR', `agents.asn ${JSON.stringify(asn.slice(0, 64))} is not an AS number (AS3320 or 3320)`);
  if (limit !== undefined && (!/^[0-9]{1,6}$/.test(limit) || Number(limit) < 1 || Number(limit) > MAX_LIMIT)) {
    throw new PulseError('PULSE_BAD_SELECTOR', `agents.limit must be a whole number from 1 to ${MAX_LIMIT}`);
  }
  if (same_as !== undefined && !/^[A-Za-z0-9_-]{1,64}$/.test(same_as)) throw new PulseError('PULSE_BAD_SELECTOR', 'agents.same_as must be a measurement id');
}

/** AS3320, as3320 and 3320 are the same network. */
export function sameAsn(want: string, have: string | undefined): boolean {
  return have !== undefined && want.replace(/^AS/i, '') === have.replace(/^AS/i, '');
}

/**
 * The agents a selector picks, label and name matches already applied by `matches`. `same_as`
 * keeps the agents that have a row in that measurement (unknown or expired: 404); `limit` then
 * keeps the first N, active agents before inactive ones, each group by name.
 */
export function selectAgents(
  selector: Record<string, string>,
  agents: AgentView[],
  matches: (agent: AgentView) => boolean,
  rowsOf: (measurementId: string) => Array<{ agent: string }> | undefined,
): AgentView[] {
  let out = agents.filter(matches);
  if (selector.same_as !== undefined) {
    const rows = rowsOf(selector.same_as);
    if (!rows) throw new PulseError('PULSE_NOT_FOUND', `agents.same_as: no measurement ${selector.same_as} (unknown, or expired)`);
    const names = new Set(rows.map((r) => r.agent));
    out = out.filter((a) => names.has(a.name));
  }
  if (selector.limit !== undefined) {
    const n = Number(selector.limit);
    out = [...out.filter((a) => a.active), ...out.filter((a) => !a.active)].slice(0, n).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
  return out;
}
