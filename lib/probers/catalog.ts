import { BUILTIN_PROBERS } from './builtin.js';
import { DEFAULT_PROBE_LIMITS, type ProbeLimits, type ProberSpec, type TestTypeInfo } from './spec.js';

const NAME = /^[a-z][a-z0-9_]{0,63}$/;

/**
 * The probers this process knows: the built-in list plus any registered later (a plugin, a test).
 * Everything that needs the list of probers or test types asks here, so one registration shows up
 * in the config schema, the hub's validation, the exporter's limits, the CLI and the page.
 */
export class ProberCatalog {
  private readonly specs = new Map<string, ProberSpec>();
  private rev = 0;

  constructor(specs: Iterable<ProberSpec>) {
    for (const s of specs) this.register(s);
  }

  /** Adds a prober; returns a function that removes it again (tests clean up with it). */
  register(spec: ProberSpec): () => void {
    if (!NAME.test(spec.name)) throw new Error(`prober name ${JSON.stringify(spec.name)} must match ${NAME}`);
    if (this.specs.has(spec.name)) throw new Error(`prober ${spec.name} is already registered`);
    const clash = spec.test && this.tests().find((t) => t.command === spec.test?.command);
    if (clash) throw new Error(`test command ${spec.test?.command} is already the ${clash.type} prober's`);
    this.specs.set(spec.name, spec);
    this.rev++;
    return () => {
      if (this.specs.get(spec.name) === spec) {
        this.specs.delete(spec.name);
        this.rev++;
      }
    };
  }

  /** Changes on every register and unregister: derived schemas are rebuilt when it moves. */
  get revision(): number {
    return this.rev;
  }

  get(name: string): ProberSpec | undefined {
    return this.specs.get(name);
  }

  has(name: string): boolean {
    return this.specs.has(name);
  }

  names(): string[] {
    return [...this.specs.keys()];
  }

  list(): ProberSpec[] {
    return [...this.specs.values()];
  }

  limits(name: string): ProbeLimits {
    return this.specs.get(name)?.limits ?? DEFAULT_PROBE_LIMITS;
  }

  /** The probers users may run ad hoc, in list order. */
  tests(): TestTypeInfo[] {
    return this.list().flatMap((s) => (s.test ? [{ type: s.name, ...s.test }] : []));
  }
}

export function builtinSpecs(): ProberSpec[] {
  return Object.entries(BUILTIN_PROBERS).map(([name, spec]) => ({ name, ...spec }));
}

let shared: ProberCatalog | undefined;

/** The process-wide catalog, made on first use (no work at import time). */
export function proberCatalog(): ProberCatalog {
  shared ??= new ProberCatalog(builtinSpecs());
  return shared;
}

/** Registers a prober in the process-wide catalog; returns its removal. */
export function registerProber(spec: ProberSpec): () => void {
  return proberCatalog().register(spec);
}

/** A value computed from the catalog, recomputed only after a registration changed it. */
export function derived<T>(build: (catalog: ProberCatalog) => T): () => T {
  let at = -1;
  let value: T | undefined;
  return () => {
    const catalog = proberCatalog();
    if (at !== catalog.revision || value === undefined) {
      value = build(catalog);
      at = catalog.revision;
    }
    return value;
  };
}
