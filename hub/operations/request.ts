import { isPulseError, PulseError } from '../../lib/errors.js';
import { type CheckRun, checkRun, type OperationsFile, type OperationType, parseOperations } from '../../lib/operations.js';
import { buildSpec, type ProberLookup, parseTimeout } from '../request.js';
import { parseSelector } from '../selector.js';

/** A validated POST /api/v1/operations. */
export interface OperationSpec {
  operations: OperationsFile;
  /** Each check as the probe it runs, in the file's order. */
  checks: Array<{ name: string; type: OperationType; run: CheckRun }>;
  selector: Record<string, string>;
  timeoutSeconds: number;
}

const KEYS = ['operations', 'agents', 'timeout'];

/**
 * `{"operations": {werify object}, "agents": {selector}, "timeout": s}`. The bare werify object
 * is refused with a hint: a check named "agents" or "timeout" would make it ambiguous.
 */
export function parseOperationRequest(body: unknown, probers: ProberLookup): OperationSpec {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new PulseError('PULSE_BAD_REQUEST', 'body must be a JSON object {"operations": {...}, "agents": {...}, "timeout": seconds}');
  }
  const b = body as Record<string, unknown>;
  if (!('operations' in b)) {
    const looksBare = Object.values(b).some((v) => typeof v === 'object' && v !== null && 'type' in v);
    throw new PulseError(
      'PULSE_BAD_REQUEST',
      looksBare
        ? 'body looks like an operations file on its own: send it as {"operations": <the file>, "agents": {...}, "timeout": seconds}'
        : 'body needs "operations": an object of check name → {type, path, check}',
    );
  }
  for (const k of Object.keys(b)) {
    if (!KEYS.includes(k)) throw new PulseError('PULSE_BAD_REQUEST', `unknown field "${k.slice(0, 100)}" (allowed: ${KEYS.join(', ')})`);
  }
  const operations = parseOperations(b.operations);
  const selector = parseSelector(b.agents);
  const timeout = parseTimeout(b.timeout);
  const checks = Object.entries(operations).map(([name, check]) => {
    const run = checkRun(check);
    try {
      // The same target and option checks as /api/v1/measurements: relative paths, "..", bad names.
      buildSpec({ type: run.type, target: run.target, targets: [run.target], options: run.options, selector, timeout }, probers);
    } catch (err) {
      if (isPulseError(err)) throw new PulseError(err.code, `operations: check ${JSON.stringify(name)}: ${err.message}`);
      throw err;
    }
    return { name, type: check.type, run };
  });
  return { operations, checks, selector, timeoutSeconds: timeout };
}
