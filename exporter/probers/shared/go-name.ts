import type { Name } from '@peculiar/asn1-x509';

/**
 * A distinguished name spelled as Go's pkix.Name.String() spells it, because blackbox puts that
 * string in probe_ssl_last_chain_info's subject and issuer labels and alert rules match on it.
 * Go reorders the well-known attributes (CN, OU, O, POSTALCODE, STREET, L, ST, C) and puts the
 * others last, as OID=#hex-DER.
 */
const KNOWN: Record<string, string> = {
  '2.5.4.6': 'C',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.3': 'CN',
  '2.5.4.5': 'SERIALNUMBER',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'STREET',
  '2.5.4.17': 'POSTALCODE',
};
// Go's ToRDNSequence order; String() then prints it reversed.
const ORDER = ['2.5.4.6', '2.5.4.8', '2.5.4.7', '2.5.4.9', '2.5.4.17', '2.5.4.10', '2.5.4.11', '2.5.4.3', '2.5.4.5'];
const SINGLE = new Set(['2.5.4.3', '2.5.4.5']);

interface Attr {
  type: string;
  text: string;
  der: string;
}

export function goNameString(name: Name): string {
  const attrs: Attr[] = [];
  for (const rdn of name) {
    for (const atv of rdn) {
      const text = atv.value.toString();
      attrs.push({ type: atv.type, text, der: goStringDer(text).toString('hex') });
    }
  }
  const rdns: Attr[][] = attrs.filter((a) => !(a.type in KNOWN)).map((a) => [a]);
  for (const oid of ORDER) {
    let values = attrs.filter((a) => a.type === oid);
    // Go keeps one CommonName and one SerialNumber: the last one parsed.
    if (SINGLE.has(oid) && values.length > 1) values = values.slice(-1);
    if (values.length > 0) rdns.push(values);
  }
  return rdns
    .reverse()
    .map((rdn) => rdn.map((a) => (a.type in KNOWN ? `${KNOWN[a.type]}=${escapeValue(a.text)}` : `${a.type}=#${a.der}`)).join('+'))
    .join(',');
}

function escapeValue(v: string): string {
  const chars = [...v];
  return chars
    .map((c, i) => {
      const esc =
        ',+"\\<>;'.includes(c) || (c === ' ' && (i === 0 || i === chars.length - 1)) || (c === '#' && i === 0);
      return esc ? `\\${c}` : c;
    })
    .join('');
}

/**
 * Go prints an unknown attribute as the DER of its value re-marshalled from a Go string:
 * PrintableString when every character allows it, UTF8String otherwise (whatever the wire had).
 */
export function goStringDer(text: string): Buffer {
  const body = Buffer.from(text, 'utf8');
  const printable = /^[A-Za-z0-9 '()+,\-./:=?]*$/.test(text);
  return Buffer.concat([Buffer.from([printable ? 0x13 : 0x0c]), derLength(body.length), body]);
}

function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
