import Type, { type TSchema } from 'typebox';
import { BUILTIN_PROBERS, type BuiltinProbers } from '../probers/builtin.js';
import { derived, type ProberCatalog } from '../probers/catalog.js';
import { Duration } from './common.js';

/** The section schema of every built-in prober, by name (lib/probers/builtin.ts is the list). */
export const PROBER_OPTIONS = Object.fromEntries(Object.entries(BUILTIN_PROBERS).map(([n, s]) => [n, s.options])) as {
  [P in keyof BuiltinProbers]: BuiltinProbers[P]['options'];
};

export type ProberName = keyof BuiltinProbers;
export const PROBER_NAMES = Object.keys(BUILTIN_PROBERS) as ProberName[];
export type ProberOptions<P extends ProberName> = Type.Static<(typeof PROBER_OPTIONS)[P]>;

/** blackbox_exporter probers Pulse does not have. */
export const UNSUPPORTED_PROBERS = [] as const;

const TIMEOUT = () => Duration({ description: 'cap on the probe; the scrape timeout caps it too' });

function buildModule(names: string[], sections: Record<string, TSchema>) {
  return Type.Object(
    {
      prober: Type.Enum(names),
      timeout: Type.Optional(TIMEOUT()),
      ...Object.fromEntries(Object.entries(sections).map(([n, s]) => [n, Type.Optional(s)])),
    },
    { additionalProperties: false },
  );
}

/** A module as the built-in probers allow it: the static type every reader of a module uses. */
export const Module = Type.Object(
  {
    prober: Type.Enum(PROBER_NAMES),
    timeout: Type.Optional(TIMEOUT()),
    ...(Object.fromEntries(Object.entries(PROBER_OPTIONS).map(([n, s]) => [n, Type.Optional(s)])) as {
      [P in ProberName]: Type.TOptional<(typeof PROBER_OPTIONS)[P]>;
    }),
  },
  { additionalProperties: false },
);
export type Module = Type.Static<typeof Module>;

/** A module's schema for every prober in the catalog, registered ones included (what files are checked with). */
export const moduleSchema = derived((catalog: ProberCatalog): TSchema =>
  buildModule(catalog.names(), Object.fromEntries(catalog.list().map((s) => [s.name, s.options]))),
);
