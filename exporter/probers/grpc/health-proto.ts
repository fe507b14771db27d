/**
 * The two messages of the gRPC health checking protocol (grpc.health.v1), by hand: one string
 * field out, one enum field back. A protobuf library for two fields would be more code than this.
 */
export const HEALTH_CHECK_PATH = '/grpc.health.v1.Health/Check';

/** HealthCheckResponse.ServingStatus, by number, with the names blackbox labels them by. */
export const SERVING_STATUSES = ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'] as const;
export type ServingStatus = (typeof SERVING_STATUSES)[number];

/** HealthCheckRequest { string service = 1; } */
export function encodeHealthRequest(service: string): Buffer {
  if (service === '') return Buffer.alloc(0);
  const bytes = Buffer.from(service, 'utf8');
  return Buffer.concat([Buffer.from([0x0a]), varint(bytes.length), bytes]);
}

/** The `service` of a HealthCheckRequest (for test servers). */
export function decodeHealthRequest(buf: Buffer): string {
  let service = '';
  walk(buf, (field, wire, value) => {
    if (field === 1 && wire === 2 && Buffer.isBuffer(value)) service = value.toString('utf8');
  });
  return service;
}

/** HealthCheckResponse { ServingStatus status = 1; }: an unknown number keeps its number. */
export function decodeHealthResponse(buf: Buffer): ServingStatus | `${number}` {
  let status = 0;
  walk(buf, (field, wire, value) => {
    if (field === 1 && wire === 0 && typeof value === 'number') status = value;
  });
  return SERVING_STATUSES[status] ?? `${status}`;
}

export function encodeHealthResponse(status: ServingStatus): Buffer {
  const n = SERVING_STATUSES.indexOf(status);
  return n === 0 ? Buffer.alloc(0) : Buffer.concat([Buffer.from([0x08]), varint(n)]);
}

function varint(n: number): Buffer {
  const out: number[] = [];
  let v = n;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
  return Buffer.from(out);
}

/** Reads each field of a message; skips the wire types these messages never use. */
function walk(buf: Buffer, onField: (field: number, wire: number, value: number | Buffer) => void): void {
  let i = 0;
  const readVarint = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (i >= buf.length) throw new Error('truncated protobuf varint');
      const b = buf[i++]!;
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
      if (shift > 63) throw new Error('protobuf varint too long');
    }
  };
  while (i < buf.length) {
    const key = readVarint();
    const field = Math.floor(key / 8);
    const wire = key & 7;
    if (wire === 0) onField(field, wire, readVarint());
    else if (wire === 2) {
      const len = readVarint();
      if (i + len > buf.length) throw new Error('truncated protobuf field');
      onField(field, wire, buf.subarray(i, i + len));
      i += len;
    } else if (wire === 1) i += 8;
    else if (wire === 5) i += 4;
    else throw new Error(`unsupported protobuf wire type ${wire}`);
  }
}
