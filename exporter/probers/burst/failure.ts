import type { AttemptStage } from './attempt.js';

/** Why an attempt failed; the `kind` label of probe_burst_failures. */
import type { FailureKind } from '../../../lib/probers/details/burst.js';

export { FAILURE_KINDS, type FailureKind } from '../../../lib/probers/details/burst.js';

/**
 * An attempt's error as a kind. The stage decides first (a TLS alert is `tls`, whatever errno the
 * socket ends with), then the errno: a refused SYN, an RST, a busy source port.
 */
export function classifyFailure(err: unknown, stage: AttemptStage, timedOut: boolean): FailureKind {
  if (timedOut) return 'timeout';
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (stage === 'proxy') return code === 'ECONNRESET' || code === 'EPIPE' ? 'reset' : 'proxy';
  if (stage === 'tls') return code === 'ECONNRESET' ? 'reset' : 'tls';
  switch (code) {
    case 'ECONNREFUSED':
      return 'refused';
    case 'ECONNRESET':
    case 'EPIPE':
      return 'reset';
    case 'ETIMEDOUT':
      return 'timeout';
    case 'EADDRINUSE':
    case 'EADDRNOTAVAIL':
      return 'source_port';
  }
  return stage === 'request' ? 'http' : 'other';
}
