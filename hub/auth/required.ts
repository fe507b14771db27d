import { isIP } from 'node:net';
import { type HubAuth, NO_AUTH_ACK } from '../../lib/config/hub-auth.js';
import { PulseError } from '../../lib/errors.js';

export interface AuthDecision {
  required: boolean;
  /** Logged at every start: the port is open to anyone who reaches it. */
  warning?: string;
}

/** Only these hosts keep the users' port on this machine; 0.0.0.0, :: and names reach further. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  return isIP(h) === 4 && h.startsWith('127.');
}

/**
 * Whether the users' port requires a token or a client certificate: on unless it listens on
 * loopback only; `required: false` on another address needs the acknowledgement key.
 */
export function decideAuth(auth: HubAuth | undefined, listenHost: string): AuthDecision {
  const loopback = isLoopbackHost(listenHost);
  if (auth?.required === true) return { required: true };
  if (auth?.required === undefined) return { required: !loopback };
  if (loopback) return { required: false };
  if (auth[NO_AUTH_ACK] !== true) {
    throw new PulseError(
      'PULSE_CONFIG_INVALID',
      `hub.auth.required is false but the users' port listens on ${listenHost}, beyond loopback: anyone who reaches it could run tests from every agent. Set hub.auth.${NO_AUTH_ACK}: true to accept that, or listen on 127.0.0.1`,
    );
  }
  return {
    required: false,
    warning: `the users' port on ${listenHost} requires no authentication (hub.auth.required: false, ${NO_AUTH_ACK}: true): anyone who reaches it can run tests from every agent`,
  };
}
