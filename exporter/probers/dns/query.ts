/** Building the one question a dns probe asks: pure, no I/O. */

export interface DnsQuestion {
  /** Fully qualified, with the trailing dot (as miekg's dns.Fqdn makes it). */
  name: string;
  type: number;
  class: number;
}

export const MAX_NAME_LENGTH = 253;
const LABEL = /^[A-Za-z0-9_*/-]{1,63}$/;

/** Why `name` cannot be asked as a query name, or undefined when it can. */
export function queryNameError(name: string): string | undefined {
  if (name === '.') return undefined;
  const bare = name.endsWith('.') ? name.slice(0, -1) : name;
  if (bare.length === 0) return 'query_name is empty';
  if (bare.length > MAX_NAME_LENGTH) return `query_name is longer than ${MAX_NAME_LENGTH} characters`;
  for (const label of bare.split('.')) {
    if (label.length === 0) return `query_name "${name}" has an empty label`;
    if (label.length > 63) return `query_name "${name}" has a label longer than 63 characters`;
    if (!LABEL.test(label)) {
      return `query_name "${name}" has an invalid label "${label}" (letters, digits, "-", "_", "*" and "/" only; use punycode for IDNs)`;
    }
  }
  return undefined;
}

export function fqdn(name: string): string {
  return name.endsWith('.') ? name : `${name}.`;
}

/**
 * The query message, without EDNS: blackbox_exporter 0.23 sends none, and an OPT record would
 * change what resolvers answer (sizes, extended rcodes) compared with the exporter Pulse replaces.
 */
export function encodeQuery(id: number, q: DnsQuestion, recursionDesired: boolean): Buffer {
  const name = encodeName(q.name);
  const buf = Buffer.alloc(12 + name.length + 4);
  buf.writeUInt16BE(id, 0);
  buf.writeUInt16BE(recursionDesired ? 0x0100 : 0, 2);
  buf.writeUInt16BE(1, 4);
  name.copy(buf, 12);
  buf.writeUInt16BE(q.type, 12 + name.length);
  buf.writeUInt16BE(q.class, 14 + name.length);
  return buf;
}

function encodeName(name: string): Buffer {
  const bare = name.replace(/\.$/, '');
  const parts: Buffer[] = [];
  if (bare.length > 0) {
    for (const label of bare.split('.')) {
      const bytes = Buffer.from(label, 'ascii');
      parts.push(Buffer.from([bytes.length]), bytes);
    }
  }
  parts.push(Buffer.from([0]));
  return Buffer.concat(parts);
}
