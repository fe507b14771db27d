export type Align = 'left' | 'right';

export interface Table {
  headers: string[];
  rows: string[][];
  align: Align[];
}

/** Terminal width of a string: code points, so "·" or "µ" count as one column. */
export function width(s: string): number {
  return [...s].length;
}

function pad(s: string, w: number, align: Align): string {
  const fill = ' '.repeat(Math.max(0, w - width(s)));
  return align === 'right' ? fill + s : s + fill;
}

/**
 * Lays a table out in aligned columns, two spaces apart, without trailing blanks. `decorate`
 * wraps a padded cell (colour on a terminal) after alignment, so escape codes never skew widths.
 */
export function layoutTable(t: Table, decorate?: (col: number, padded: string, raw: string) => string): string[] {
  const widths = t.headers.map((h, i) => Math.max(width(h), ...t.rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: string[], isHeader: boolean) =>
    cells
      .map((c, i) => {
        const last = i === cells.length - 1;
        const align = t.align[i] ?? 'left';
        const padded = last && align === 'left' ? c : pad(c, widths[i] ?? 0, align);
        return !isHeader && decorate ? decorate(i, padded, c) : padded;
      })
      .join('  ')
      .replace(/\s+$/, '');
  return [line(t.headers, true), ...t.rows.map((r) => line(r, false))];
}
