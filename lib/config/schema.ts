import Type from 'typebox';
import { ExporterSettings } from './exporter.js';
import { HubSettings } from './hub.js';
import { Module } from './module.js';
import { ProbeJob } from './targets.js';

/** The whole pulse.yml. Only `modules:` is needed by an exporter; every other section has defaults. */
export const PulseConfig = Type.Object(
  {
    modules: Type.Record(Type.String(), Module, { default: {}, propertyNames: { pattern: '^[A-Za-z0-9_.-]+$' } }),
    exporter: Type.Optional(ExporterSettings),
    hub: Type.Optional(HubSettings),
    targets: Type.Optional(Type.Array(ProbeJob)),
  },
  { additionalProperties: false },
);
export type PulseConfig = Type.Static<typeof PulseConfig>;

/** A loaded config: every section present, defaults applied. */
export type ResolvedConfig = Omit<PulseConfig, 'exporter' | 'hub' | 'targets'> & {
  exporter: ExporterSettings;
  hub: HubSettings;
  targets: ProbeJob[];
  /** The file it came from, for messages; undefined for configs built in code. */
  file?: string;
};
