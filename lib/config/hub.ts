import Type from 'typebox';
import { Duration } from './common.js';
import { HubAuth } from './hub-auth.js';
import { HubRateLimits } from './hub-rate-limits.js';
import { HubStore } from './hub-store.js';
import { HubAsnSettings } from './hub-asn.js';

export const DEFAULT_HUB_LISTEN = '0.0.0.0:7778';
export const DEFAULT_HUB_AGENT_LISTEN = '0.0.0.0:7777';

/** TLS for the users' port; with `client_ca_file` set, users need a client certificate too. */
export const HubUserTls = Type.Object(
  {
    cert_file: Type.String(),
    key_file: Type.String(),
    client_ca_file: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
export type HubUserTls = Type.Static<typeof HubUserTls>;

/**
 * The agents' side: the hub's certificate (also its client certificate when it calls agents) and
 * the CA agents must be signed by.
 */
export const HubAgentTls = Type.Object(
  {
    cert_file: Type.String(),
    key_file: Type.String(),
    ca_file: Type.String(),
  },
  { additionalProperties: false },
);
export type HubAgentTls = Type.Static<typeof HubAgentTls>;

/** The `hub:` section. */
export const HubSettings = Type.Object(
  {
    listen: Type.String({ default: DEFAULT_HUB_LISTEN }),
    agent_listen: Type.String({ default: DEFAULT_HUB_AGENT_LISTEN }),
    data_dir: Type.String({ default: 'data' }),
    tls: Type.Optional(HubUserTls),
    /** Who may call the users' port: tokens and client certificates with scopes. */
    auth: Type.Optional(HubAuth),
    /** Per-identity limits on what the users' port starts (docs/security.md). */
    rate_limits: Type.Optional(HubRateLimits),
    agent_tls: Type.Optional(HubAgentTls),
    /** An agent whose last heartbeat is older than this is inactive (not called, shown offline). */
    agent_inactive_after: Duration({ default: '45s' }),
    /** How long finished measurements stay available at /api/v1/measurements/:id. */
    measurement_ttl: Duration({ default: '1h' }),
    max_measurements: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 1000 }),
    /**
     * Agent calls in flight at once, over all measurements. Calls mostly wait on the network, so
     * the default lets a fleet of about a thousand agents be called in one wave.
     */
    fanout_concurrency: Type.Integer({ minimum: 1, maximum: 10_000, default: 1024 }),
    /** Measurements and operations running at once; above it new ones get 429 PULSE_BUSY. */
    max_running_measurements: Type.Integer({ minimum: 1, maximum: 100_000, default: 32 }),
    /** An agent not seen for this long is removed from the registry (and so from /agents/, /sd and alerts). */
    agent_forget_after: Duration({ default: '7d' }),
    /**
     * How often the hub pings each dial-out agent's tunnel; a ping not answered within the same
     * time closes the tunnel, so a half-open one is found within twice this (docs/dial-out.md).
     */
    tunnel_keepalive: Duration({ default: '10s' }),
    /** How long finished measurements and operations are kept in the store (history, old handles). */
    retention: Duration({ default: '7d' }),
    store: Type.Optional(HubStore),
    /** ASN lookups: offline table, Team Cymru, mmdb files (docs/asn.md). */
    asn: Type.Optional(HubAsnSettings),
  },
  { additionalProperties: false },
);
export type HubSettings = Type.Static<typeof HubSettings>;
