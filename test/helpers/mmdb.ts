/**
 * Writes a small, valid MaxMind DB (format 2.0) for tests: an IPv6 search tree (IPv4 networks
 * sit under ::/96, as in GeoLite2 files) with 24-bit records, a data section of maps, strings and
 * unsigned integers, and the metadata block. npm has no maintained writer; this follows the
 * published MaxMind DB specification, only as far as the reader under test needs.
 */
import { isIPv4 } from 'node:net';
import { ipv4ToNumber, ipv6ToWords } from '../../hub/asn/ip.js';

export type MmdbValue = string | number | boolean | MmdbValue[] | { [k: string]: MmdbValue };

export interface MmdbNetwork {
  /** CIDR, IPv4 or IPv6. */
  network: string;
  data: { [k: string]: MmdbValue };
}

const METADATA_MARKER = Buffer.from([0xab, 0xcd, 0xef, ...Buffer.from('MaxMind.com')]);

function control(type: number, size: number): Buffer {
  const ext = type > 7;
  const head = (ext ? 0 : type) << 5;
  let sizeBytes: number[] = [];
  let bits: number;
  if (size < 29) bits = size;
  else if (size < 29 + 256) {
    bits = 29;
    sizeBytes = [size - 29];
  } else if (size < 285 + 65536) {
    bits = 30;
    const s = size - 285;
    sizeBytes = [s >> 8, s & 255];
  } else {
    bits = 31;
    const s = size - 65821;
    sizeBytes = [(s >> 16) & 255, (s >> 8) & 255, s & 255];
  }
  return Buffer.from([head | bits, ...(ext ? [type - 7] : []), ...sizeBytes]);
}

function uint(type: number, n: number | bigint, max: number): Buffer {
  let v = BigInt(n);
  const bytes: number[] = [];
  while (v > 0n) {
    bytes.unshift(Number(v & 255n));
    v >>= 8n;
  }
  if (bytes.length > max) throw new Error(`${n} does not fit`);
  return Buffer.concat([control(type, bytes.length), Buffer.from(bytes)]);
}

/** Encodes a value; integers go as uint32 (type 6), or uint64 above 32 bits. */
export function encodeValue(v: MmdbValue | { uint16: number } | { uint64: bigint }): Buffer {
  if (typeof v === 'string') {
    const b = Buffer.from(v, 'utf8');
    return Buffer.concat([control(2, b.length), b]);
  }
  if (typeof v === 'boolean') return control(14, v ? 1 : 0);
  if (typeof v === 'number') return v > 0xffffffff ? uint(9, v, 8) : uint(6, v, 4);
  if (Array.isArray(v)) return Buffer.concat([control(11, v.length), ...v.map((x) => encodeValue(x))]);
  if ('uint16' in v && typeof v.uint16 === 'number') return uint(5, v.uint16, 2);
  if ('uint64' in v && typeof v.uint64 === 'bigint') return uint(9, v.uint64, 8);
  const entries = Object.entries(v as Record<string, MmdbValue>);
  return Buffer.concat([control(7, entries.length), ...entries.flatMap(([k, x]) => [encodeValue(k), encodeValue(x)])]);
}

function bitsOf(network: string): number[] {
  const [addr, lenText] = network.split('/') as [string, string | undefined];
  const v4 = isIPv4(addr);
  const len = Number(lenText ?? (v4 ? 32 : 128));
  const words = v4 ? [0, 0, 0, ipv4ToNumber(addr)!] : ipv6ToWords(addr);
  if (!words) throw new Error(`bad network ${network}`);
  const total = v4 ? 96 + len : len;
  const bits: number[] = [];
  for (let i = 0; i < total; i++) bits.push((words[i >> 5]! >>> (31 - (i & 31))) & 1);
  return bits;
}

type Rec = { node: number } | { data: number } | null;

/** Builds the whole file. Networks must not nest inside one another. */
export function buildMmdb(networks: MmdbNetwork[], databaseType = 'GeoLite2-ASN'): Buffer {
  const nodes: [Rec, Rec][] = [[null, null]];
  const data: Buffer[] = [];
  let dataSize = 0;
  for (const n of networks) {
    const encoded = encodeValue(n.data);
    const offset = dataSize;
    data.push(encoded);
    dataSize += encoded.length;
    const bits = bitsOf(n.network);
    let node = 0;
    for (let i = 0; i < bits.length; i++) {
      const b = bits[i]!;
      if (i === bits.length - 1) {
        nodes[node]![b] = { data: offset };
        break;
      }
      const rec = nodes[node]![b];
      if (rec && 'node' in rec) {
        node = rec.node;
      } else {
        if (rec) throw new Error(`${n.network} nests inside another network`);
        nodes.push([null, null]);
        nodes[node]![b] = { node: nodes.length - 1 };
        node = nodes.length - 1;
      }
    }
  }
  const count = nodes.length;
  const value = (r: Rec) => (r === null ? count : 'node' in r ? r.node : count + 16 + r.data);
  const tree = Buffer.alloc(count * 6);
  nodes.forEach(([l, r], i) => {
    tree.writeUIntBE(value(l), i * 6, 3);
    tree.writeUIntBE(value(r), i * 6 + 3, 3);
  });
  const metadata = encodeValue({
    node_count: count,
    record_size: { uint16: 24 },
    ip_version: { uint16: 6 },
    database_type: databaseType,
    languages: ['en'],
    binary_format_major_version: { uint16: 2 },
    binary_format_minor_version: { uint16: 0 },
    build_epoch: { uint64: 1_700_000_000n },
    description: { en: 'Pulse test database' },
  } as never);
  return Buffer.concat([tree, Buffer.alloc(16), ...data, METADATA_MARKER, metadata]);
}
