import type WebSocket from 'ws';

/** The messages a WebSocket receives, read one at a time (gorilla's ReadMessage), each wait bound to the probe. */
export class MessageQueue {
  private readonly queue: Buffer[] = [];
  private ended: Error | undefined;
  private wake: (() => void) | undefined;

  constructor(ws: WebSocket) {
    ws.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
      this.queue.push(Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer));
      this.notify();
    });
    ws.on('close', (code: number) => this.end(new Error(`connection closed (${code})`)));
    ws.on('error', (err: Error) => this.end(err));
  }

  end(err: Error): void {
    this.ended ??= err;
    this.notify();
  }

  async next(): Promise<Buffer> {
    for (;;) {
      const m = this.queue.shift();
      if (m) return m;
      if (this.ended) throw this.ended;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }

  private notify(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }
}
