import { compileCel } from '../../../lib/cel.js';
import type { HttpOptions } from '../../../lib/config/probers/http.js';

/**
 * blackbox's CEL checks on a JSON body, in its order: the body must decode as JSON, then
 * fail_if_body_json_matches_cel must be false and fail_if_body_json_not_matches_cel true. An
 * evaluation error or a non-boolean result fails the probe too. Returns the reason, or undefined.
 */
export function celReason(body: string, o: Pick<HttpOptions, 'fail_if_body_json_matches_cel' | 'fail_if_body_json_not_matches_cel'>): string | undefined {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (err) {
    return `body is not JSON: ${(err as Error).message}`;
  }
  if (o.fail_if_body_json_matches_cel !== undefined) {
    const r = compileCel(o.fail_if_body_json_matches_cel).evaluate(json);
    if (!r.ok) return `evaluating fail_if_body_json_matches_cel: ${r.error}`;
    if (r.value) return `body matched fail_if_body_json_matches_cel ${JSON.stringify(o.fail_if_body_json_matches_cel)}`;
  }
  if (o.fail_if_body_json_not_matches_cel !== undefined) {
    const r = compileCel(o.fail_if_body_json_not_matches_cel).evaluate(json);
    if (!r.ok) return `evaluating fail_if_body_json_not_matches_cel: ${r.error}`;
    if (!r.value) return `body did not match fail_if_body_json_not_matches_cel ${JSON.stringify(o.fail_if_body_json_not_matches_cel)}`;
  }
  return undefined;
}

export function hasCel(o: Pick<HttpOptions, 'fail_if_body_json_matches_cel' | 'fail_if_body_json_not_matches_cel'>): boolean {
  return o.fail_if_body_json_matches_cel !== undefined || o.fail_if_body_json_not_matches_cel !== undefined;
}
