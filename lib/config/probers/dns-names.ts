/**
 * DNS mnemonics as Go's miekg/dns spells them (what blackbox.yml accepts and what its record text
 * prints). Shared by the config schema and the dns prober so both agree on every name.
 */
export const DNS_TYPES: Readonly<Record<string, number>> = {
  A: 1,
  NS: 2,
  MD: 3,
  MF: 4,
  CNAME: 5,
  SOA: 6,
  MB: 7,
  MG: 8,
  MR: 9,
  NULL: 10,
  PTR: 12,
  HINFO: 13,
  MINFO: 14,
  MX: 15,
  TXT: 16,
  RP: 17,
  AFSDB: 18,
  X25: 19,
  ISDN: 20,
  RT: 21,
  'NSAP-PTR': 23,
  SIG: 24,
  KEY: 25,
  PX: 26,
  GPOS: 27,
  AAAA: 28,
  LOC: 29,
  NXT: 30,
  EID: 31,
  NIMLOC: 32,
  SRV: 33,
  ATMA: 34,
  NAPTR: 35,
  KX: 36,
  CERT: 37,
  DNAME: 39,
  OPT: 41,
  APL: 42,
  DS: 43,
  SSHFP: 44,
  IPSECKEY: 45,
  RRSIG: 46,
  NSEC: 47,
  DNSKEY: 48,
  DHCID: 49,
  NSEC3: 50,
  NSEC3PARAM: 51,
  TLSA: 52,
  SMIMEA: 53,
  HIP: 55,
  NINFO: 56,
  RKEY: 57,
  TALINK: 58,
  CDS: 59,
  CDNSKEY: 60,
  OPENPGPKEY: 61,
  CSYNC: 62,
  ZONEMD: 63,
  SVCB: 64,
  HTTPS: 65,
  SPF: 99,
  UINFO: 100,
  UID: 101,
  GID: 102,
  UNSPEC: 103,
  NID: 104,
  L32: 105,
  L64: 106,
  LP: 107,
  EUI48: 108,
  EUI64: 109,
  TKEY: 249,
  TSIG: 250,
  IXFR: 251,
  AXFR: 252,
  MAILB: 253,
  MAILA: 254,
  ANY: 255,
  URI: 256,
  CAA: 257,
  AVC: 258,
  TA: 32768,
  DLV: 32769,
};

export const DNS_CLASSES: Readonly<Record<string, number>> = {
  IN: 1,
  CS: 2,
  CH: 3,
  HS: 4,
  NONE: 254,
  ANY: 255,
};

/** Response codes, extended (EDNS/TSIG) ones included; BADSIG and BADVERS share 16 as in RFC 6891. */
export const DNS_RCODES: Readonly<Record<string, number>> = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  NOTIMPL: 4,
  REFUSED: 5,
  YXDOMAIN: 6,
  YXRRSET: 7,
  NXRRSET: 8,
  NOTAUTH: 9,
  NOTZONE: 10,
  BADSIG: 16,
  BADVERS: 16,
  BADKEY: 17,
  BADTIME: 18,
  BADMODE: 19,
  BADNAME: 20,
  BADALG: 21,
  BADTRUNC: 22,
  BADCOOKIE: 23,
};

export const DNS_TYPE_NAMES = Object.keys(DNS_TYPES);
export const DNS_CLASS_NAMES = Object.keys(DNS_CLASSES);
export const DNS_RCODE_NAMES = Object.keys(DNS_RCODES);

const TYPE_BY_NUMBER = new Map(Object.entries(DNS_TYPES).map(([k, v]) => [v, k]));
const CLASS_BY_NUMBER = new Map(Object.entries(DNS_CLASSES).map(([k, v]) => [v, k]));
// The first name wins for shared numbers (NOTIMP over NOTIMPL, BADSIG over BADVERS), as miekg prints.
const RCODE_BY_NUMBER = new Map<number, string>();
for (const [k, v] of Object.entries(DNS_RCODES)) if (!RCODE_BY_NUMBER.has(v)) RCODE_BY_NUMBER.set(v, k);

export function typeName(n: number): string {
  return TYPE_BY_NUMBER.get(n) ?? `TYPE${n}`;
}

export function className(n: number): string {
  return CLASS_BY_NUMBER.get(n) ?? `CLASS${n}`;
}

export function rcodeName(n: number): string {
  return RCODE_BY_NUMBER.get(n) ?? `RCODE${n}`;
}

/** A query_type as written in config (name, `TYPEnnn`, numeric string or number) → its number. */
export function parseQueryType(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 1 && value <= 65535 ? value : undefined;
  const known = DNS_TYPES[value.toUpperCase()];
  if (known !== undefined) return known;
  const m = /^(?:TYPE)?([0-9]{1,5})$/i.exec(value);
  if (!m) return undefined;
  const n = Number(m[1]);
  return n >= 1 && n <= 65535 ? n : undefined;
}
