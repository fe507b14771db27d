/**
 * The metrics one probe produces. A plain ordered list rather than a prom-client registry:
 * building a registry per scrape is the cost blackbox pays and we do not need to.
 */
export type Labels = Readonly<Record<string, string>>;

export interface Sample {
  labels: Labels;
  value: number;
}

export interface MetricFamily {
  name: string;
  help: string;
  type: 'gauge' | 'counter';
  samples: Sample[];
}

export class MetricSet {
  private readonly families = new Map<string, MetricFamily>();

  /** Sets (or adds a labelled sample to) a gauge. Re-setting the same labels overwrites. */
  gauge(name: string, help: string, value: number, labels: Labels = {}): this {
    return this.add(name, help, 'gauge', value, labels);
  }

  counter(name: string, help: string, value: number, labels: Labels = {}): this {
    return this.add(name, help, 'counter', value, labels);
  }

  /** Declares a family with no samples yet, so it keeps its place in the output order. */
  declare(name: string, help: string, type: MetricFamily['type'] = 'gauge'): this {
    if (!this.families.has(name)) this.families.set(name, { name, help, type, samples: [] });
    return this;
  }

  has(name: string): boolean {
    return this.families.has(name);
  }

  get(name: string, labels: Labels = {}): number | undefined {
    const fam = this.families.get(name);
    return fam?.samples.find((s) => sameLabels(s.labels, labels))?.value;
  }

  /** Families in insertion order; families without samples are omitted. */
  list(): MetricFamily[] {
    return [...this.families.values()].filter((f) => f.samples.length > 0);
  }

  merge(other: MetricSet): this {
    for (const fam of other.list()) {
      for (const s of fam.samples) this.add(fam.name, fam.help, fam.type, s.value, s.labels);
    }
    return this;
  }

  private add(name: string, help: string, type: MetricFamily['type'], value: number, labels: Labels): this {
    let fam = this.families.get(name);
    if (!fam) {
      fam = { name, help, type, samples: [] };
      this.families.set(name, fam);
    }
    const existing = fam.samples.find((s) => sameLabels(s.labels, labels));
    if (existing) existing.value = value;
    else fam.samples.push({ labels, value });
    return this;
  }
}

function sameLabels(a: Labels, b: Labels): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => a[k] === b[k]);
}
