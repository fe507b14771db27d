import type { AgentView, Row } from './api.js';

/**
 * Rows in a stable order whatever order the agents answered in: by agent name, then targets in
 * the order the request listed them (resolvers of /dns/ as given), then by name. The hub stores
 * rows in this order and the CLI and the page show them in it.
 */
export function sortRows(rows: readonly Row[], targetOrder: readonly string[] = []): Row[] {
  const rank = (t: string) => {
    const i = targetOrder.indexOf(t);
    return i < 0 ? targetOrder.length : i;
  };
  return [...rows].sort((a, b) => (a.agent === b.agent ? rank(a.target) - rank(b.target) || cmp(a.target, b.target) : cmp(a.agent, b.agent)));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export type AgentState = 'active' | 'inactive' | 'refused';

/** The hub's metrics count agents by this state; the CLI and the page show it in words (agentStateWord). */
export function agentState(view: AgentView): AgentState {
  return view.refused !== null && view.refused !== undefined ? 'refused' : view.active ? 'active' : 'inactive';
}

const STATE_WORDS: Record<AgentState, string> = { active: 'online', inactive: 'offline', refused: 'refused' };

export function agentStateWord(view: AgentView): string {
  return STATE_WORDS[agentState(view)];
}
