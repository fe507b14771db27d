import Type from 'typebox';
import type { TSchema } from 'typebox';
import { derived } from '../probers/catalog.js';
import { ExporterSettings, exporterSettingsSchema } from './exporter.js';
import { HubSettings } from './hub.js';
import { Module, moduleSchema } from './module.js';
import { ProbeJob } from './targets.js';

/** The whole pulse.yml. Only `modules:` is needed by an exporter; every other section has defaults. */
function buildPulseConfig<M extends TSchema, E extends TSchema>(module: M, exporter: E) {
  return Type.Object(
    {
      modules: Type.Record(Type.String(), module, { default: {}, propertyNames: { pattern: '^[A-Za-z0-9_.-]+$' } }),
      exporter: Type.Optional(exporter),
      hub: Type.Optional(HubSettings),
      targets: Type.Optional(Type.Array(ProbeJob)),
    },
    { additionalProperties: false },
  );
}

export const PulseConfig = buildPulseConfig(Module, ExporterSettings);
export type PulseConfig = Type.Static<typeof PulseConfig>;
/** The schema files are checked with: every prober in the catalog, registered ones included. */
export const pulseConfigSchema = derived((): TSchema => buildPulseConfig(moduleSchema(), exporterSettingsSchema()));

/** A loaded config: every section present, defaults applied. */
export type ResolvedConfig = Omit<PulseConfig, 'exporter' | 'hub' | 'targets'> & {
  exporter: ExporterSettings;
  hub: HubSettings;
  targets: ProbeJob[];
  /** The file it came from, for messages; undefined for configs built in code. */
  file?: string;
};
