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
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class PulseError extends Error {
  readonly code: ErrorCode;
  readonly status: number;

  constructor(code: ErrorCode, message: string) {
    super(message);
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
