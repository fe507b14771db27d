import type { AgentRecord } from './types.js';

const isStrings = (v: unknown): boolean => Array.isArray(v) && v.every((x) => typeof x === 'string');
const isStringMap = (v: unknown): boolean => !!v && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');

/**
 * Why a stored agent record cannot be used, or undefined. Every field the registry, selectors and
 * /sd read must be there with its type: a hand-edited or truncated record (`null`, a name alone)
 * would otherwise crash the start or every selector query later.
 */
export function agentRecordProblem(r: unknown): string | undefined {
  if (!r || typeof r !== 'object' || Array.isArray(r)) return 'not an object';
  const a = r as Record<string, unknown>;
  if (typeof a.name !== 'string' || a.name === '') return 'no name';
  const wrong: string[] = [];
  if (!isStringMap(a.labels)) wrong.push('labels');
  for (const k of ['url', 'version', 'first_seen', 'last_seen'] as const) if (typeof a[k] !== 'string') wrong.push(k);
  if (typeof a.protocol !== 'number') wrong.push('protocol');
  if (!isStrings(a.probers)) wrong.push('probers');
  if (!Array.isArray(a.ip_versions) || !a.ip_versions.every((v) => v === 4 || v === 6)) wrong.push('ip_versions');
  if (a.refused !== null && a.refused !== undefined && typeof a.refused !== 'string') wrong.push('refused');
  return wrong.length > 0 ? `agent "${a.name.slice(0, 64)}": missing or wrong ${wrong.join(', ')}` : undefined;
}

/** The usable records; each skipped one is reported with its position and reason. */
export function usableAgentRecords(records: unknown[], where: string, report: (message: string) => void): AgentRecord[] {
  const out: AgentRecord[] = [];
  records.forEach((r, i) => {
    const problem = agentRecordProblem(r);
    if (problem) report(`${where}: agents[${i}] skipped (${problem}); the agent is listed again at its next heartbeat`);
    else out.push({ ...(r as AgentRecord), refused: (r as AgentRecord).refused ?? null });
  });
  return out;
}
