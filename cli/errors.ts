import { HubApiError, HubConnectionError } from '../client/errors.js';
import { UsageError } from './context.js';

/** What `pulse: ...` says for an error: the hub's own words when it refused, else the message. */
export function errorText(err: unknown): string {
  if (err instanceof HubApiError) return `the hub refused the request: ${err.message} (${err.code})`;
  if (err instanceof HubConnectionError || err instanceof UsageError) return err.message;
  return err instanceof Error ? err.message : String(err);
}
