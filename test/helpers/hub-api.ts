import type { Measurement } from '../../client/api.js';
import type { HubProcess } from './hub-process.js';

/** A request to a hub's users' port, answered as JSON with its status. */
export async function hubJson<T>(url: string, init?: RequestInit): Promise<{ status: number; body: T }> {
  const res = await fetch(url, init);
  return { status: res.status, body: (await res.json()) as T };
}

/** The names the hub lists as active in /agents/. */
export async function activeAgentNames(hub: HubProcess): Promise<string[]> {
  const { body } = await hubJson<{ agents: Array<{ name: string; active: boolean }> }>(`${hub.userUrl}/agents/`);
  return body.agents.filter((a) => a.active).map((a) => a.name);
}

/** POST /api/v1/measurements for a tcp test of `target` on every agent (`query` e.g. `?async=true`). */
export function measureTcp(hub: HubProcess, target: string, timeout: number, query = ''): Promise<{ status: number; body: Measurement }> {
  return hubJson<Measurement>(`${hub.userUrl}/api/v1/measurements${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'tcp', target, timeout }),
  });
}
