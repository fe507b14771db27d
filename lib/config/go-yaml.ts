/**
 * What Go's yaml decoder does with blackbox.yml that a JavaScript reading of the same YAML does
 * not: a key written with no value (`http:` alone, `tls_config: ~`) is the zero value of its
 * type, the same as leaving the key out; a JavaScript parse gives null, which a schema refuses.
 * And a `!!binary` value, which Go decodes into a string's bytes, becomes `send_bytes` (base64).
 * Applied to the `modules:` tree only, before validation.
 */
export function dropNullKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNullKeys);
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === null) continue;
      // `send: !!binary ...` (a query_response step): Go decodes it into the string's bytes.
      if (k === 'send' && v instanceof Uint8Array) out.send_bytes = Buffer.from(v).toString('base64');
      else out[k] = dropNullKeys(v);
    }
    return out;
  }
  return value;
}
