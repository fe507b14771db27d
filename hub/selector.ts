import { PulseError } from '../lib/errors.js';
import type { AgentView } from './registry.js';
import { checkSpecialSelector, sameAsn } from './select-agents.js';

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Checks a user's `agents` selector: label name → exact value, strings only. */
export function parseSelector(raw: unknown): Record<string, string> {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new PulseError('PULSE_BAD_SELECTOR', 'agents must be an object of label: value pairs');
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (!LABEL_NAME.test(k)) throw new PulseError('PULSE_BAD_SELECTOR', `agents: "${k}" is not a valid label name`);
    if (typeof v !== 'string') throw new PulseError('PULSE_BAD_SELECTOR', `agents.${k} must be a string`);
    out[k] = v;
  }
  checkSpecialSelector(out);
  return out;
}

/**
 * Equality on every label; `asn` compares the network of the agent's public address. `name` is always the agent's name (its certificate's CN), never a label
 * the agent announced, so no agent can answer for another one's name.
 */
export function matchesSelector(selector: Record<string, string>, agent: Pick<AgentView, 'name' | 'labels'> & { asn?: string }): boolean {
  for (const [k, v] of Object.entries(selector)) {
    // limit and same_as pick among the matching agents (select-agents.ts), they match all.
    if (k === 'limit' || k === 'same_as') continue;
    if (k === 'asn') {
      if (!sameAsn(v, agent.asn)) return false;
      continue;
    }
    const actual = k === 'name' ? agent.name : agent.labels[k];
    if (actual !== v) return false;
  }
  return true;
}
