/**
 * The last probes' debug output, for /logs, as blackbox keeps it (prober/history.go's rules):
 * the `limit` most recent probes, and, of the ones pushed out, the `limit` most recent failures,
 * so a recent failure can still be read after many successes. The debug text is rendered only
 * when asked for.
 */
export interface HistoryEntry {
  id: number;
  moduleName: string;
  target: string;
  success: boolean;
  debugOutput: () => string;
}

export class ProbeHistory {
  private nextId = 0;
  private recent: HistoryEntry[] = [];
  private keptFailures: HistoryEntry[] = [];

  constructor(readonly limit: number) {}

  add(moduleName: string, target: string, success: boolean, debugOutput: () => string): void {
    if (this.limit <= 0) return;
    this.recent.push({ id: this.nextId++, moduleName, target, success, debugOutput });
    if (this.recent.length <= this.limit) return;
    const dropped = this.recent.shift()!;
    if (!dropped.success) {
      this.keptFailures.push(dropped);
      if (this.keptFailures.length > this.limit) this.keptFailures.shift();
    }
  }

  byId(id: number): HistoryEntry | undefined {
    return this.all().find((e) => e.id === id);
  }

  /** The oldest kept probe of `target` (and `module`, when given), as blackbox looks it up. */
  byTarget(target: string, module: string): HistoryEntry | undefined {
    return this.all().find((e) => e.target === target && (module === '' || e.moduleName === module));
  }

  all(): HistoryEntry[] {
    return [...this.keptFailures, ...this.recent];
  }
}
