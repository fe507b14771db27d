import type { Row } from '../../../client/api.js';
import { asnText } from '../../../client/asn.js';
import { formatRatio, formatSeconds } from '../../../client/metrics.js';
import { mergePaths, type PathEdge, type PathNode } from '../../../client/paths.js';
import { h } from './dom.js';
import { layoutPaths } from './path-layout.js';
import { s, title } from './svg.js';

/**
 * All agents' mtr paths to the target as one graph: agents on top, hops below by hop number, a
 * hop that several agents pass through drawn once. Edges are as thick as the agents on them and
 * coloured by the loss at their far end; a dashed edge crosses into another AS.
 */

const NODE_W = 150;
const NODE_H = 34;

function lossClass(loss: number | undefined): string {
  if (loss === undefined || loss === 0) return 'clean';
  return loss >= 0.5 ? 'heavy' : 'some';
}

function edgeLabel(e: PathEdge): string {
  const parts: string[] = [];
  if (e.rtt !== undefined) parts.push(formatSeconds(e.rtt));
  if (e.loss !== undefined && e.loss > 0) parts.push(`${formatRatio(e.loss)} loss`);
  return parts.join(' · ');
}

function nodeWords(n: PathNode): string {
  if (n.kind === 'agent') return n.agents.length > 1 ? `agents with this path: ${n.agents.join(', ')}` : `agent ${n.label}`;
  const lines = [n.host ? `${n.host} (${n.label})` : n.label];
  if (n.asn) lines.push(asnText(n.asn));
  lines.push(`${n.agents.length} agent${n.agents.length === 1 ? '' : 's'}: ${n.agents.join(', ')}`);
  if (n.rtt !== undefined) lines.push(`avg ${formatSeconds(n.rtt)}`);
  if (n.loss !== undefined) lines.push(`loss up to ${formatRatio(n.loss)}`);
  return lines.join('\n');
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * Beside where the edge leaves its upper node, on the side it does not bend to: edges that meet
 * at one hop leave from different nodes, so their labels neither pile up nor sit on a line.
 */
function labelAt(x1: number, y1: number, x2: number): { x: number; y: number; 'text-anchor': string } {
  return x2 > x1 ? { x: x1 - 7, y: y1 + 14, 'text-anchor': 'end' } : { x: x1 + 7, y: y1 + 14, 'text-anchor': 'start' };
}

export function pathsView(rows: readonly Row[]): HTMLElement {
  const merged = mergePaths(rows);
  if (merged.nodes.length === 0) return h('p', { class: 'muted' }, 'No agent reported hops yet.');
  const layout = layoutPaths(merged);
  const at = (id: string) => layout.placed.get(id)!;
  const edges = merged.edges.map((e) => {
    const a = at(e.from);
    const b = at(e.to);
    const y1 = a.y + NODE_H / 2;
    const y2 = b.y - NODE_H / 2;
    const mid = (y1 + y2) / 2;
    const d = `M${a.x},${y1} C${a.x},${mid} ${b.x},${mid} ${b.x},${y2}`;
    const label = edgeLabel(e);
    return s(
      'g',
      { class: `edge ${lossClass(e.loss)}${e.asBoundary ? ' as-boundary' : ''}`, 'data-from': e.from, 'data-to': e.to, 'data-agents': e.agents.length },
      s('path', { d, 'stroke-width': Math.min(2 + (e.agents.length - 1) * 1.5, 9) }, title(`${e.agents.join(', ')}${label ? `: ${label}` : ''}`)),
      label ? s('text', { ...labelAt(a.x, y1, b.x), class: 'edge-label' }, label) : null,
    );
  });
  const nodes = merged.nodes.map((n) => {
    const p = at(n.id);
    const main = n.kind === 'agent' ? n.label : clip(n.host ?? n.label, 22);
    const sub = n.kind === 'agent' ? (n.agents.length > 1 ? `${n.agents.length} agents, same path` : 'agent') : [n.host ? clip(n.label, 18) : '', n.asn ? `AS${n.asn.number}` : ''].filter((x) => x !== '').join(' · ');
    return s(
      'g',
      {
        class: `node ${n.kind}${n.last ? ' last' : ''} ${lossClass(n.loss)}`,
        transform: `translate(${p.x - NODE_W / 2},${p.y - NODE_H / 2})`,
        'data-id': n.id,
        'data-agents': n.agents.length,
      },
      title(nodeWords(n)),
      s('rect', { width: NODE_W, height: NODE_H, rx: 6 }),
      s('text', { x: NODE_W / 2, y: sub ? 14 : 21, class: 'main' }, main),
      sub ? s('text', { x: NODE_W / 2, y: 27, class: 'sub' }, sub) : null,
    );
  });
  const agents = merged.nodes.filter((n) => n.kind === 'agent').reduce((a, n) => a + n.agents.length, 0);
  const shared = merged.nodes.filter((n) => n.kind !== 'agent' && n.agents.length > 1).length;
  const boundaries = merged.edges.filter((e) => e.asBoundary).length;
  const summary = `${agents} agent${agents === 1 ? '' : 's'}, ${merged.depth} hop${merged.depth === 1 ? '' : 's'} deep; ${shared} hop${shared === 1 ? '' : 's'} shared${boundaries ? `; ${boundaries} AS boundar${boundaries === 1 ? 'y' : 'ies'}` : ''}`;
  const svg = s(
    'svg',
    {
      class: 'paths-svg',
      width: layout.width,
      height: layout.height,
      viewBox: `0 0 ${layout.width} ${layout.height}`,
      // Shrinks to a narrow screen down to 70% (text stays legible), then the box scrolls instead.
      style: `min-width:${Math.round(layout.width * 0.7)}px`,
      role: 'img',
      'aria-label': `Merged paths: ${summary}`,
    },
    s('g', { class: 'edges' }, ...edges),
    s('g', { class: 'nodes' }, ...nodes),
  );
  const key = h(
    'ul',
    { class: 'legend' },
    h('li', {}, h('span', { class: 'swatch edge-clean' }), 'no loss'),
    h('li', {}, h('span', { class: 'swatch edge-some' }), 'some loss'),
    h('li', {}, h('span', { class: 'swatch edge-heavy' }), 'half or more lost'),
    h('li', {}, 'thicker: more agents'),
    h('li', {}, 'dashed: into another AS'),
  );
  return h('figure', { class: 'chart paths' }, h('figcaption', {}, `Merged paths: ${summary}`), h('div', { class: 'scroll' }, svg), key);
}
