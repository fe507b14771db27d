import { PulseError } from '../lib/errors.js';
import { buildSpec, type MeasurementSpec, type ProberLookup } from './request.js';

/**
 * The original TurboBytes Pulse payloads, translated into ordinary measurements so they share
 * the fan-out, the rows and the streaming of /api/v1/measurements.
 */
function object(body: unknown, shape: string): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new PulseError('PULSE_BAD_REQUEST', `body must be a JSON object ${shape}`);
  return body as Record<string, unknown>;
}

function checkKeys(b: Record<string, unknown>, allowed: string[]): void {
  for (const k of Object.keys(b)) {
    if (!allowed.includes(k)) throw new PulseError('PULSE_BAD_REQUEST', `unknown field "${k}" (allowed: ${allowed.join(', ')})`);
  }
}

/** Pulse's own extras on every seed payload: a selector and a timeout. */
const EXTRA = ['agents', 'timeout'];

function extras(b: Record<string, unknown>, selector: (raw: unknown) => Record<string, string>) {
  return { selector: selector(b.agents), timeout: b.timeout };
}

/** POST /dns/ {"Host","QType","Targets"}: one dns probe per resolver on every agent. */
export function dnsSeed(body: unknown, probers: ProberLookup, selector: (raw: unknown) => Record<string, string>): MeasurementSpec {
  const b = object(body, '{"Host","QType","Targets"}');
  checkKeys(b, ['Host', 'QType', 'Targets', ...EXTRA]);
  if (typeof b.Host !== 'string' || b.Host === '') throw new PulseError('PULSE_BAD_REQUEST', 'Host must be a non-empty string');
  const qtype = b.QType ?? 1;
  if (!(typeof qtype === 'number' && Number.isInteger(qtype)) && typeof qtype !== 'string') {
    throw new PulseError('PULSE_BAD_REQUEST', 'QType must be a DNS type number (1 = A) or name');
  }
  if (!Array.isArray(b.Targets) || b.Targets.length === 0 || !b.Targets.every((t) => typeof t === 'string')) {
    throw new PulseError('PULSE_BAD_TARGET', 'Targets must be a non-empty list of resolver addresses');
  }
  return buildSpec(
    {
      type: 'dns',
      target: b.Host,
      targets: b.Targets as string[],
      options: { query_name: b.Host, query_type: qtype },
      ...extras(b, selector),
    },
    probers,
  );
}

/** POST /curl/ {"Path","Endpoint","Host","Ssl"}: GET, headers only, connect to Endpoint, send Host. */
export function curlSeed(body: unknown, probers: ProberLookup, selector: (raw: unknown) => Record<string, string>): MeasurementSpec {
  const b = object(body, '{"Path","Endpoint","Host","Ssl"}');
  checkKeys(b, ['Path', 'Endpoint', 'Host', 'Ssl', ...EXTRA]);
  if (typeof b.Endpoint !== 'string' || b.Endpoint === '') throw new PulseError('PULSE_BAD_TARGET', 'Endpoint must be a non-empty string');
  if (b.Host !== undefined && typeof b.Host !== 'string') throw new PulseError('PULSE_BAD_REQUEST', 'Host must be a string');
  if (b.Path !== undefined && typeof b.Path !== 'string') throw new PulseError('PULSE_BAD_REQUEST', 'Path must be a string');
  if (b.Ssl !== undefined && typeof b.Ssl !== 'boolean') throw new PulseError('PULSE_BAD_REQUEST', 'Ssl must be true or false');
  const host = (b.Host as string | undefined) || b.Endpoint;
  let path = (b.Path as string | undefined) || '/';
  if (!path.startsWith('/')) path = `/${path}`;
  const url = `${b.Ssl ? 'https' : 'http'}://${host}${path}`;
  try {
    new URL(url);
  } catch {
    throw new PulseError('PULSE_BAD_TARGET', `Host and Path do not make a valid URL: ${url.slice(0, 200)}`);
  }
  const options: Record<string, unknown> = { method: 'GET', headers_only: true };
  if (host !== b.Endpoint) options.endpoint = b.Endpoint;
  return buildSpec({ type: 'http', target: url, targets: [url], options, ...extras(b, selector) }, probers);
}

/** POST /mtr/ {"Target","IPv"}: IPv "4" or "6" pins the address family, as mtr -4 / -6. */
export function mtrSeed(body: unknown, probers: ProberLookup, selector: (raw: unknown) => Record<string, string>): MeasurementSpec {
  const b = object(body, '{"Target","IPv"}');
  checkKeys(b, ['Target', 'IPv', ...EXTRA]);
  if (typeof b.Target !== 'string') throw new PulseError('PULSE_BAD_TARGET', 'Target must be a string');
  const ipv = b.IPv === undefined || b.IPv === null ? '' : String(b.IPv);
  if (!['', '4', '6'].includes(ipv)) throw new PulseError('PULSE_BAD_REQUEST', 'IPv must be "4", "6" or empty');
  const options: Record<string, unknown> = {};
  if (ipv) options.ip_version = Number(ipv);
  return buildSpec({ type: 'mtr', target: b.Target, targets: [b.Target], options, ...extras(b, selector) }, probers);
}
