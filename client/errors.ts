/** The hub answered with an error (4xx/5xx): its code (PULSE_*) and message, shown as they are. */
export class HubApiError extends Error {
  constructor(
    readonly status: number,
    /** The hub's PULSE_* code; HTTP_<status> when what answered is not a Pulse hub. */
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HubApiError';
  }
}

/** The hub could not be reached, or broke off, or sent something that is not its API. */
export class HubConnectionError extends Error {
  readonly code = 'PULSE_HUB_UNREACHABLE';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HubConnectionError';
  }
}
