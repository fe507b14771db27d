import { isMap, isScalar, isSeq, LineCounter, type Document, type Node } from 'yaml';
import type { PathSegments } from './validate.js';

/**
 * The 1-based line of a key path in a parsed YAML document: the key's own line when `atKey`,
 * else the value's; the nearest existing ancestor when the path does not exist (a missing key).
 */
export function lineOfPath(doc: Document, counter: LineCounter, segments: PathSegments, atKey = false): number | undefined {
  let node: unknown = doc.contents;
  let offset = rangeStart(node);
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    const last = i === segments.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(seg));
      if (!pair) break;
      const keyStart = rangeStart(pair.key);
      if (last && atKey && keyStart !== undefined) return counter.linePos(keyStart).line;
      node = pair.value;
      offset = rangeStart(pair.value) ?? keyStart ?? offset;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg];
      if (item === undefined) break;
      node = item;
      offset = rangeStart(item) ?? offset;
    } else break;
  }
  return offset === undefined ? undefined : counter.linePos(offset).line;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? range[0] : undefined;
}

export { LineCounter };
