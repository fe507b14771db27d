import type { Row, Summary } from '../client/api.js';
import { resultsTable } from './format/results.js';
import { layoutTable } from './format/table.js';

export interface Output {
  write(s: string): unknown;
  isTTY?: boolean;
  columns?: number;
  rows?: number;
}

const STATUS_COLOUR: Record<string, string> = { ok: '32', failed: '31', timeout: '33', offline: '90' };

export interface LiveOptions {
  type: string;
  showTarget: boolean;
  targetTitle?: string;
  /** Redraw in place with a progress line (a terminal); otherwise print once, at the end. */
  tty: boolean;
  colour: boolean;
  timeoutSeconds: number;
}

/**
 * The results table as agents answer. On a terminal it is redrawn in place under a progress
 * line; piped, nothing is written until the end, so scripts and files get one clean table.
 */
export class LiveTable {
  private rows: Row[] = [];
  private drawn = 0;
  private readonly started = Date.now();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly out: Output,
    private readonly opts: LiveOptions,
  ) {
    if (opts.tty) {
      this.draw(true);
      this.timer = setInterval(() => this.draw(true), 250);
      this.timer.unref();
    }
  }

  add(row: Row): void {
    this.rows.push(row);
    if (this.opts.tty) this.draw(true);
  }

  finish(trailer: string[]): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.opts.tty) this.draw(false);
    else this.out.write(`${this.lines().join('\n')}\n`);
    for (const line of trailer) this.out.write(`${line}\n`);
  }

  /** Stops the progress line without printing the table (the run failed). */
  abort(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.opts.tty && this.drawn > 0) this.out.write(`\x1b[${this.drawn}F\x1b[J`);
    this.drawn = 0;
  }

  private lines(): string[] {
    const table = resultsTable(this.opts.type, this.rows, { showTarget: this.opts.showTarget, targetTitle: this.opts.targetTitle ?? 'TARGET' });
    const statusCol = this.opts.showTarget ? 2 : 1;
    const colour = this.opts.colour;
    return layoutTable(table, (col, padded, raw) => {
      const c = STATUS_COLOUR[raw];
      return colour && col === statusCol && c ? `\x1b[${c}m${padded}\x1b[0m` : padded;
    });
  }

  private draw(withProgress: boolean): void {
    const cols = this.out.columns && this.out.columns > 20 ? this.out.columns : 0;
    // Long lines would wrap and break the cursor arithmetic of the next redraw.
    const clip = (l: string) => (cols && visible(l) >= cols ? truncate(l, cols - 1) : l);
    let lines = this.lines().map(clip);
    // The cursor cannot go back above the top of the screen: a table taller than the terminal
    // is printed once at the end, and only the progress line is redrawn meanwhile.
    const tooTall = this.out.rows !== undefined && this.out.rows > 0 && lines.length + 1 >= this.out.rows;
    if (tooTall && withProgress) lines = [];
    if (withProgress) {
      const secs = ((Date.now() - this.started) / 1000).toFixed(1);
      const n = this.rows.length;
      lines.push(clip(`… ${n} answer${n === 1 ? '' : 's'} so far · ${secs}s (timeout ${this.opts.timeoutSeconds}s)`));
    }
    const up = this.drawn > 0 ? `\x1b[${this.drawn}F\x1b[J` : '';
    this.out.write(`${up}${lines.join('\n')}\n`);
    this.drawn = lines.length;
  }
}

function visible(s: string): number {
  return [...s.replace(/\x1b\[[0-9;]*m/g, '')].length;
}

function truncate(s: string, n: number): string {
  let out = '';
  let count = 0;
  for (let i = 0; i < s.length && count < n; ) {
    const esc = /^\x1b\[[0-9;]*m/.exec(s.slice(i));
    if (esc) {
      out += esc[0];
      i += esc[0].length;
      continue;
    }
    const ch = String.fromCodePoint(s.codePointAt(i)!);
    out += ch;
    i += ch.length;
    count += 1;
  }
  return `${out}\x1b[0m`;
}

export function summaryExit(s: Summary): 0 | 1 {
  return s.failed + s.timeout + s.offline === 0 ? 0 : 1;
}
