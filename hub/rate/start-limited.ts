import type { FastifyRequest } from 'fastify';
import { ANONYMOUS } from '../auth/identity.js';
import type { RateLimiter, RunSize } from './limiter.js';

/**
 * Starts a run within the caller's rate limits: `start` gets the function to call when the run
 * finishes; a run that fails to start gives its slot back at once.
 */
export async function startLimited<T>(limiter: RateLimiter | undefined, req: FastifyRequest, size: RunSize, start: (onFinish?: () => void) => T): Promise<T> {
  if (!limiter) return start();
  const release = await limiter.admit(req.pulseIdentity ?? ANONYMOUS, size);
  try {
    return start(release);
  } catch (err) {
    release();
    throw err;
  }
}
