import { type Dispatcher, fetch } from 'undici';
import { type FetchLike, HubClient } from '../client/http.js';

/**
 * The hub client of the `pulse` command: client/http.ts over undici's fetch, so that the
 * command's dispatcher (the hub's CA, --token) carries every call.
 */
export function hubClient(base: string, dispatcher?: Dispatcher): HubClient {
  const viaUndici: FetchLike = (url, init) => fetch(url, { ...init, ...(dispatcher ? { dispatcher } : {}) });
  return new HubClient({ base, fetch: viaUndici });
}
