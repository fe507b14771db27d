/** Stable error codes shared by the exporter, the hub and the CLI; each maps to one HTTP status. */
export const ERROR_STATUS = {
  PULSE_BAD_REQUEST: 400,
  PULSE_UNKNOWN_MODULE: 400,
  PULSE_BAD_TARGET: 400,
  PULSE_BAD_TIMEOUT: 400,
  PULSE_BAD_OPTIONS: 400,
  PULSE_UNKNOWN_TYPE: 400,
  PULSE_BAD_SELECTOR: 400,
  /** More agents × targets in one measurement than hub.rate_limits allows: retrying does not help, narrowing does. */
  PULSE_MEASUREMENT_TOO_LARGE: 400,
  PULSE_UNAUTHENTICATED: 401,
  PULSE_FORBIDDEN: 403,
  PULSE_NOT_FOUND: 404,
  PULSE_PROTOCOL_MISMATCH: 409,
  PULSE_PAYLOAD_TOO_LARGE: 413,
  PULSE_UNSUPPORTED_MEDIA_TYPE: 415,
  PULSE_URL_TOO_LONG: 414,
  PULSE_HEADERS_TOO_LARGE: 431,
  PULSE_PROBER_UNAVAILABLE: 503,
  PULSE_OVERLOADED: 503,
  /** The relay's agent is not connected (dial-out tunnel down, or inactive). */
  PULSE_AGENT_OFFLINE: 503,
  /** The relay's agent did not answer within the scrape timeout. */
  PULSE_AGENT_TIMEOUT: 504,
  /** The store the request needs (Redis) cannot be reached; the reason says why. */
  PULSE_STORE_UNAVAILABLE: 503,
  /** Too many measurements or operations running on the hub: retry later. */
  PULSE_BUSY: 429,
  /** One identity started too many tests this minute, or has too many running: retry after Retry-After. */
  PULSE_RATE_LIMITED: 429,
  PULSE_CONFIG_INVALID: 500,
  PULSE_INTERNAL: 500,
  /** The CLI's own refusals of its arguments (exit status 2); never an HTTP answer. */
  PULSE_USAGE: 400,
  /** The policy refuses the target (exporter.policy): a probe failure reason, or 403 where asked directly. */
  PULSE_TARGET_FORBIDDEN: 403,
  /**
   * Why a probe or a lookup failed; the probe reports it as its reason (a failed row), and an
   * HTTP answer carries it only when one leaks out of a prober (a bug).
   */
  PULSE_PROBE_TIMEOUT: 504,
  PULSE_RESOLVE_FAILED: 502,
  PULSE_DNS_MALFORMED: 502,
  PULSE_DNS_EXCHANGE: 502,
  PULSE_NOT_HTTP: 502,
  /** An upstream the hub reads (Team Cymru's DNS, an agent's tunnel) sent what it does not accept. */
  PULSE_UPSTREAM_FORMAT: 502,
  PULSE_AGENT_OVERSIZE: 502,
  /** The client side: the hub could not be reached, broke off, or is not a Pulse hub. */
  PULSE_HUB_UNREACHABLE: 502,
  PULSE_NOT_A_HUB: 502,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/**
 * Every error class of Pulse is one of these: a stable code (listed in docs/errors.md), the HTTP
 * status it answers with, and the error it came from as `cause`.
 */
export class PulseError extends Error {
  readonly code: ErrorCode;
  readonly status: number;

  constructor(code: ErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PulseError';
    this.code = code;
    this.status = ERROR_STATUS[code];
  }

  toJSON(): { error: { code: ErrorCode; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}

export function isPulseError(err: unknown): err is PulseError {
  return err instanceof PulseError;
}
