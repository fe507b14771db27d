import { type Asn, asnOf } from './asn.js';
import type { Row } from './api.js';
import { detail, mtrHops } from './details.js';

/**
 * The mtr paths of several agents to one target as one graph: a hop address that several agents
 * pass through is one node, so where paths join and part shows at a glance. Pure; the page lays
 * it out and draws it.
 */

export interface PathNode {
  id: string;
  kind: 'agent' | 'hop' | 'silent';
  /** Agent name, hop address, or "???" for a hop that never answered. */
  label: string;
  /** mtr's host name for the hop, when it resolved one. */
  host?: string;
  /** Depth: 0 for the agents, then the hop number (the deepest an agent saw it at). */
  depth: number;
  agents: string[];
  asn?: Asn;
  /** Worst loss at this hop over the agents, 0..1. */
  loss?: number;
  /** Mean of the agents' average RTT to this hop, seconds. */
  rtt?: number;
  /** The row's last hop for some agent (the target, when it answered). */
  last: boolean;
}

export interface PathEdge {
  from: string;
  to: string;
  agents: string[];
  /** Worst loss at the far end of the edge, 0..1. */
  loss?: number;
  /** Mean RTT to the far end, seconds. */
  rtt?: number;
  /** Both ends have a known ASN and they differ: the path crosses into another network. */
  asBoundary: boolean;
}

export interface MergedPaths {
  nodes: PathNode[];
  edges: PathEdge[];
  /** Deepest hop number. */
  depth: number;
}

interface Acc {
  node: PathNode;
  losses: number[];
  rtts: number[];
}

function mean(xs: number[]): number | undefined {
  return xs.length === 0 ? undefined : xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** ASNs the prober (or the hub) attached to hops, by position; absent when nobody did. */
function hopAsns(row: Row): (Asn | undefined)[] {
  const list = detail(row.result, 'hops');
  return Array.isArray(list) ? list.map((h) => asnOf(h)) : [];
}

/** Above this many agents, agents whose paths are identical share one top node (a wide row helps nobody). */
export const FOLD_AGENTS_ABOVE = 12;

export interface MergeOptions {
  foldAgentsAbove?: number;
}

export function mergePaths(rows: readonly Row[], opts: MergeOptions = {}): MergedPaths {
  const nodes = new Map<string, Acc>();
  const edges = new Map<string, { edge: PathEdge; losses: number[]; rtts: number[] }>();
  const touch = (id: string, make: () => PathNode): Acc => {
    let a = nodes.get(id);
    if (!a) {
      a = { node: make(), losses: [], rtts: [] };
      nodes.set(id, a);
    }
    return a;
  };
  const sorted = [...rows].filter((r) => mtrHops(r.result).length > 0).sort((a, b) => a.agent.localeCompare(b.agent));
  const fold = new Set(sorted.map((r) => r.agent)).size > (opts.foldAgentsAbove ?? FOLD_AGENTS_ABOVE);
  for (const row of sorted) {
    const hops = mtrHops(row.result);
    const agentId = fold ? `agents:${hops.map((h) => h.ip || '???').join('>')}` : `agent:${row.agent}`;
    const start = touch(agentId, () => ({ id: agentId, kind: 'agent', label: row.agent, depth: 0, agents: [], last: false }));
    if (!start.node.agents.includes(row.agent)) start.node.agents.push(row.agent);
    // Folded: the first name and how many more; the full list is in `agents`.
    if (start.node.agents.length > 1) start.node.label = `${start.node.agents[0]} +${start.node.agents.length - 1}`;
    const asns = hopAsns(row);
    const seen = new Set<string>();
    let prev = agentId;
    hops.forEach((hop, i) => {
      const silent = !hop.ip || hop.ip === '???';
      // Silent hops merge only when they follow the same node at the same depth: "???" says nothing else.
      let id = silent ? `silent:${prev}:${hop.hop}` : `hop:${hop.ip}`;
      // A routing loop revisits an address; a second node keeps the graph acyclic.
      while (seen.has(id)) id = `${id}#`;
      seen.add(id);
      const acc = touch(id, () => ({ id, kind: silent ? 'silent' : 'hop', label: silent ? '???' : hop.ip, depth: hop.hop, agents: [], last: false }));
      const n = acc.node;
      n.depth = Math.max(n.depth, hop.hop);
      if (!n.agents.includes(row.agent)) n.agents.push(row.agent);
      if (hop.host && hop.host !== hop.ip && n.host === undefined) n.host = hop.host;
      const asn = asns[i];
      if (asn && !n.asn) n.asn = asn;
      if (i === hops.length - 1) n.last = true;
      if (hop.loss !== undefined) acc.losses.push(hop.loss);
      if (hop.avg !== undefined) acc.rtts.push(hop.avg);
      const ek = `${prev}\u0000${id}`;
      let e = edges.get(ek);
      if (!e) {
        e = { edge: { from: prev, to: id, agents: [], asBoundary: false }, losses: [], rtts: [] };
        edges.set(ek, e);
      }
      e.edge.agents.push(row.agent);
      if (hop.loss !== undefined) e.losses.push(hop.loss);
      if (hop.avg !== undefined) e.rtts.push(hop.avg);
      prev = id;
    });
  }
  const outNodes = [...nodes.values()].map(({ node, losses, rtts }) => {
    const loss = losses.length === 0 ? undefined : Math.max(...losses);
    const rtt = mean(rtts);
    return { ...node, ...(loss === undefined ? {} : { loss }), ...(rtt === undefined ? {} : { rtt }) };
  });
  const byId = new Map(outNodes.map((n) => [n.id, n]));
  const outEdges = [...edges.values()].map(({ edge, losses, rtts }) => {
    const a = byId.get(edge.from)?.asn;
    const b = byId.get(edge.to)?.asn;
    const loss = losses.length === 0 ? undefined : Math.max(...losses);
    const rtt = mean(rtts);
    return { ...edge, asBoundary: a !== undefined && b !== undefined && a.number !== b.number, ...(loss === undefined ? {} : { loss }), ...(rtt === undefined ? {} : { rtt }) };
  });
  return { nodes: outNodes, edges: outEdges, depth: Math.max(0, ...outNodes.map((n) => n.depth)) };
}
