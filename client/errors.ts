import { PulseError } from '../lib/errors.js';

/**
 * The hub answered with an error (4xx/5xx). `code` is the hub's own PULSE_* code, relayed as it
 * is (a newer hub may send one this client does not know); PULSE_NOT_A_HUB when what answered
 * did not send a Pulse error body.
 */
export class HubApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HubApiError';
  }
}

/** The hub could not be reached, or broke off, or sent something that is not its API. */
export class HubConnectionError extends PulseError {
  constructor(message: string, options?: ErrorOptions) {
    super('PULSE_HUB_UNREACHABLE', message, options);
    this.name = 'HubConnectionError';
  }
}
