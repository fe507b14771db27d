import type { MergedPaths, PathNode } from '../../../client/paths.js';

/**
 * Where each node of a merged path graph goes: one row per hop number (agents on top, the target
 * at the bottom), nodes in a row ordered under their predecessors so lines cross little. Pure.
 */

export interface Placed {
  node: PathNode;
  x: number;
  y: number;
}

export interface PathLayout {
  width: number;
  height: number;
  placed: Map<string, Placed>;
}

export const COL_W = 168;
export const ROW_H = 80;
const PAD = 24;

export function layoutPaths(g: MergedPaths): PathLayout {
  const rows: PathNode[][] = Array.from({ length: g.depth + 1 }, () => []);
  for (const n of g.nodes) rows[n.depth]!.push(n);
  const preds = new Map<string, string[]>();
  for (const e of g.edges) preds.set(e.to, [...(preds.get(e.to) ?? []), e.from]);
  const widest = Math.max(1, ...rows.map((r) => r.length));
  const width = widest * COL_W;
  const placed = new Map<string, Placed>();
  rows.forEach((row, depth) => {
    if (depth === 0) row.sort((a, b) => a.label.localeCompare(b.label));
    else {
      // Barycentre of the predecessors already placed; ties keep the busier node first.
      const centre = (n: PathNode) => {
        const xs = (preds.get(n.id) ?? []).map((p) => placed.get(p)?.x).filter((x): x is number => x !== undefined);
        return xs.length === 0 ? width / 2 : xs.reduce((a, b) => a + b, 0) / xs.length;
      };
      const c = new Map(row.map((n) => [n.id, centre(n)]));
      row.sort((a, b) => c.get(a.id)! - c.get(b.id)! || b.agents.length - a.agents.length || a.label.localeCompare(b.label));
    }
    const offset = (width - row.length * COL_W) / 2;
    row.forEach((node, i) => {
      placed.set(node.id, { node, x: offset + i * COL_W + COL_W / 2, y: PAD + depth * ROW_H });
    });
  });
  return { width, height: PAD * 2 + g.depth * ROW_H, placed };
}
