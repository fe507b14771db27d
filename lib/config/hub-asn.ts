import Type from 'typebox';
import { Duration } from './common.js';

/** An mmdb file the operator points at (GeoLite2-ASN, ipinfo ASN); its name is its source name. */
export const HubAsnMmdb = Type.Object(
  {
    // The built-in source names are taken: a file called "cymru" would hide the real one.
    name: Type.String({ pattern: '^(?!offline$|cymru$|asndb$)[a-z][a-z0-9_-]{0,31}$' }),
    file: Type.String({ minLength: 1 }),
  },
  { additionalProperties: false },
);

/** `hub.asn`: where ASN lookups (and so hop and agent ASNs) come from. */
export const HubAsnSettings = Type.Object(
  {
    /** The table from the @ip-location-db/asn npm package (loaded on the first lookup). */
    offline: Type.Boolean({ default: true }),
    /** A directory holding asn-ipv4-num.csv and asn-ipv6.csv, instead of the installed package's. */
    offline_dir: Type.Optional(Type.String({ minLength: 1 })),
    /** Team Cymru over DNS; absent = off, so nothing is sent to Cymru unless asked for. */
    cymru: Type.Optional(
      Type.Object(
        {
          /** `system` (the hub's resolv.conf) or IP:port of the resolver to ask. */
          resolver: Type.String({ pattern: '^(system|[0-9]{1,3}(\\.[0-9]{1,3}){3}:[0-9]{1,5}|\\[[0-9a-fA-F:.]+\\]:[0-9]{1,5})$' }),
          timeout: Duration({ default: '2s' }),
        },
        { additionalProperties: false },
      ),
    ),
    mmdb: Type.Array(HubAsnMmdb, { default: [], maxItems: 16 }),
  },
  { additionalProperties: false },
);
export type HubAsnSettings = Type.Static<typeof HubAsnSettings>;
