import Type from 'typebox';
import { BurstLimits } from './burst-limits.js';
import { Duration } from './common.js';
import { derived } from '../probers/catalog.js';
import { PROBER_NAMES } from './module.js';
import { AGENT_LABEL_PATTERN } from '../reserved-labels.js';
import { TargetPolicySettings } from './target-policy.js';

export const DEFAULT_EXPORTER_LISTEN = '0.0.0.0:9115';

/** Server-side TLS: when set, the listener is HTTPS and requires a client certificate from this CA. */
export const ServerTls = Type.Object(
  {
    cert_file: Type.String(),
    key_file: Type.String(),
    client_ca_file: Type.String(),
  },
  { additionalProperties: false },
);
export type ServerTls = Type.Static<typeof ServerTls>;

export const ProbeLimit = Type.Object(
  {
    concurrency: Type.Integer({ minimum: 1, maximum: 100_000 }),
    queue: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
  },
  { additionalProperties: false },
);
export type ProbeLimit = Type.Static<typeof ProbeLimit>;

/** How an exporter reaches its hub (mutual TLS with its agent certificate). */
export const HubClient = Type.Object(
  {
    url: Type.String({ pattern: '^https://' }),
    ca_file: Type.String(),
    cert_file: Type.String(),
    key_file: Type.String(),
    /** The URL the hub uses to reach this exporter; defaults to https://<listen address>. */
    advertise_url: Type.Optional(Type.String({ pattern: '^https?://' })),
    heartbeat_interval: Type.Optional(Duration({ default: '15s' })),
    /**
     * direct: the hub calls this exporter at its URL. dial-out: this exporter keeps one outbound
     * connection (a tunnel) to the hub's agents' port and is reached only through it (docs/dial-out.md).
     */
    mode: Type.Optional(Type.Union([Type.Literal('direct'), Type.Literal('dial-out')], { default: 'direct' })),
    /** http://[user:password@]host:port of an HTTP CONNECT proxy the tunnel goes through (dial-out only). */
    proxy_url: Type.Optional(Type.String({ pattern: '^http://' })),
  },
  { additionalProperties: false },
);
export type HubClient = Type.Static<typeof HubClient>;

export const HostChecks = Type.Object(
  {
    /**
     * Absolute path globs the host-check probers may read (`*` within a path segment, `**`
     * across segments); nothing else is reachable. Listing any path turns host checks on.
     */
    allowed_paths: Type.Array(Type.String({ pattern: '^/' }), { default: [] }),
    /**
     * Master switch. Unset: on when allowed_paths is non-empty. `true` with no paths allows only
     * process checks by name (no file access); `false` turns every host check off.
     */
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type HostChecks = Type.Static<typeof HostChecks>;

function buildExporterSettings(proberNames: readonly string[]) {
  return Type.Object(
  {
    listen: Type.String({ default: DEFAULT_EXPORTER_LISTEN }),
    timeout_offset: Duration({ default: '0.5s' }),
    tls: Type.Optional(ServerTls),
    /** Not `name`, `agent`, `job`, `instance`, `asn`, `limit`, `same_as` or `__*` (lib/reserved-labels.ts). */
    labels: Type.Record(Type.String(), Type.String(), {
      default: {},
      propertyNames: { pattern: AGENT_LABEL_PATTERN },
    }),
    limits: Type.Optional(
      Type.Object(Object.fromEntries(proberNames.map((n) => [n, Type.Optional(ProbeLimit)])), {
        additionalProperties: false,
      }),
    ),
    hub: Type.Optional(HubClient),
    host_checks: Type.Optional(HostChecks),
    burst: Type.Optional(BurstLimits),
    /** What this agent may probe (exporter/policy/). */
    target_policy: Type.Optional(TargetPolicySettings),
    /** Probes whose debug output /logs keeps (blackbox's --history.limit); 0 keeps none. */
    history_limit: Type.Integer({ minimum: 0, maximum: 10_000, default: 100 }),
  },
  { additionalProperties: false },
  );
}

export const ExporterSettings = buildExporterSettings(PROBER_NAMES);
export type ExporterSettings = Type.Static<typeof ExporterSettings>;
/** The same with `limits` keys for every prober in the catalog, registered ones included. */
export const exporterSettingsSchema = derived((catalog) => buildExporterSettings(catalog.names()));
