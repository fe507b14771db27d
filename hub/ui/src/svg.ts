/** SVG elements from tag, attributes and children, like dom.ts's h() for HTML. */

const NS = 'http://www.w3.org/2000/svg';

type SvgChild = Node | string | null | undefined | false;

export function s(tag: string, attrs: Record<string, string | number | undefined> = {}, ...children: (SvgChild | SvgChild[])[]): SVGElement {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) el.setAttribute(k, String(v));
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return el;
}

/** A tooltip and an accessible name: SVG's own <title> child. */
export function title(text: string): SVGElement {
  return s('title', {}, text);
}
