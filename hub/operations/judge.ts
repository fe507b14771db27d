import type { OperationType } from '../../lib/operations.js';
import type { Row } from '../measurement.js';

/**
 * A fan-out row as the check's verdict. Every type takes the probe's own, except file_absent,
 * which passes only when the agent looked and found nothing: a path it refused to look at
 * (not allowed, a symlink leading out) is still a failure, never a pass.
 */
export function judge(type: OperationType, row: Row): Pick<Row, 'status' | 'reason'> {
  if (type !== 'file_absent' || (row.status !== 'ok' && row.status !== 'failed') || !row.result) {
    return { status: row.status, ...(row.reason === undefined ? {} : { reason: row.reason }) };
  }
  // Agents are not trusted to send details at all: a missing object is "could not tell".
  const details: Record<string, unknown> | undefined = row.result.details ?? undefined;
  const exists = details?.exists;
  if (exists === false) return { status: 'ok' };
  if (exists === true) return { status: 'failed', reason: `${String(details?.path ?? row.target)} exists, and must not` };
  return { status: 'failed', reason: row.reason ?? 'the agent could not tell whether the file exists' };
}
