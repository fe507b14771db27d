import type { Duplex } from 'node:stream';

/** bufio.Scanner's default token limit: a longer line fails the read, as in blackbox. */
export const MAX_LINE_BYTES = 64 * 1024;

/**
 * Reads `\n`-terminated lines from a socket the way Go's bufio.Scanner (ScanLines) does: a
 * trailing `\r` is dropped, and the last unterminated line is still returned at end of stream.
 * `detach()` hands the socket over (STARTTLS) and, like blackbox's fresh Scanner, forgets
 * whatever was buffered.
 */
export class LineReader {
  private buffer: Buffer = Buffer.alloc(0);
  private ended = false;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;

  private readonly onData = (chunk: Buffer) => {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    this.notify();
  };
  private readonly onEnd = () => {
    this.ended = true;
    this.notify();
  };
  private readonly onError = (err: Error) => {
    this.failure = err;
    this.notify();
  };

  constructor(private readonly stream: Duplex) {
    stream.on('data', this.onData);
    stream.on('end', this.onEnd);
    stream.on('close', this.onEnd);
    stream.on('error', this.onError);
  }

  /** The next line, or null at end of stream; rejects on a socket error or a too-long line. */
  async readLine(): Promise<string | null> {
    for (;;) {
      const nl = this.buffer.indexOf(0x0a);
      if (nl >= 0) {
        const line = this.buffer.subarray(0, nl);
        this.buffer = this.buffer.subarray(nl + 1);
        return dropCR(line).toString('utf8');
      }
      if (this.buffer.length >= MAX_LINE_BYTES) throw new Error(`line longer than ${MAX_LINE_BYTES} bytes`);
      if (this.failure) throw this.failure;
      if (this.ended) {
        if (this.buffer.length === 0) return null;
        const rest = this.buffer;
        this.buffer = Buffer.alloc(0);
        return dropCR(rest).toString('utf8');
      }
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }

  /** At most `n` bytes once some are there (Go's conn.Read), buffered ones first; null at end of stream. */
  async readBytes(n: number): Promise<Buffer | null> {
    for (;;) {
      if (this.buffer.length > 0) {
        const out = this.buffer.subarray(0, n);
        this.buffer = this.buffer.subarray(out.length);
        return out;
      }
      if (this.failure) throw this.failure;
      if (this.ended) return null;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }

  /** Wakes a pending read so it can see an abort (the caller destroys the socket first). */
  interrupt(err: Error): void {
    this.failure ??= err;
    this.notify();
  }

  detach(): void {
    this.stream.off('data', this.onData);
    this.stream.off('end', this.onEnd);
    this.stream.off('close', this.onEnd);
    this.stream.off('error', this.onError);
    this.buffer = Buffer.alloc(0);
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}

function dropCR(line: Buffer): Buffer {
  return line.length > 0 && line[line.length - 1] === 0x0d ? line.subarray(0, -1) : line;
}
