import type { Readable } from 'node:stream';

/** Past this a "line" is more likely a binary file or a trap than text; the check fails. */
export const MAX_LINE_BYTES = 1024 * 1024;

/**
 * Counts the lines of a stream for which `test` holds, reading it once and keeping at most one
 * line in memory. Lines end at `\n`, a trailing `\r` is dropped (bufio.Scanner's rules).
 */
export async function countLines(stream: Readable, test: (line: string) => boolean): Promise<{ lines: number; matching: number; firstMatch?: number }> {
  let lines = 0;
  let matching = 0;
  let firstMatch: number | undefined;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const take = (line: Buffer) => {
    lines++;
    const text = (line.length > 0 && line[line.length - 1] === 0x0d ? line.subarray(0, -1) : line).toString('utf8');
    if (test(text)) {
      matching++;
      firstMatch ??= lines;
    }
  };
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let start = 0;
    for (let nl = chunk.indexOf(0x0a); nl >= 0; nl = chunk.indexOf(0x0a, start)) {
      pending.push(chunk.subarray(start, nl));
      take(Buffer.concat(pending));
      pending = [];
      pendingBytes = 0;
      start = nl + 1;
    }
    if (start < chunk.length) {
      pending.push(chunk.subarray(start));
      pendingBytes += chunk.length - start;
      if (pendingBytes > MAX_LINE_BYTES) throw new Error(`line ${lines + 1} is longer than ${MAX_LINE_BYTES} bytes`);
    }
  }
  if (pendingBytes > 0) take(Buffer.concat(pending));
  return firstMatch === undefined ? { lines, matching } : { lines, matching, firstMatch };
}
