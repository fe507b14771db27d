/**
 * Incremental parser for the hub's NDJSON answers. Chunks from the network split lines anywhere,
 * so it keeps the unfinished tail until the next chunk (or the end) completes it.
 */

/** Splits newline-delimited JSON into parsed values; blank lines are skipped. */
export class NdjsonDecoder {
  private tail = '';

  push(chunk: string): unknown[] {
    this.tail += chunk;
    const parts = this.tail.split('\n');
    this.tail = parts.pop() ?? '';
    return parseLines(parts);
  }

  end(): unknown[] {
    const rest = this.tail;
    this.tail = '';
    return parseLines([rest]);
  }
}

function parseLines(lines: string[]): unknown[] {
  const out: unknown[] = [];
  for (const line of lines) {
    const text = line.trim();
    if (text === '') continue;
    try {
      out.push(JSON.parse(text));
    } catch {
      throw new Error(`the hub sent a line that is not JSON: ${text.slice(0, 120)}`);
    }
  }
  return out;
}
