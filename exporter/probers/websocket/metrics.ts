/** The websocket prober's metric families (name, HELP), as blackbox_exporter 0.28 names them. */
export const WEBSOCKET_METRICS = {
  duration: ['probe_websocket_duration_seconds', 'Duration of websocket request by phase'],
  upgraded: ['probe_websocket_connection_upgraded', 'Indicates if the websocket connection was successfully upgraded'],
  statusCode: ['probe_websocket_status_code', 'Response HTTP status code'],
  failedDueToRegex: ['probe_websocket_failed_due_to_regex', 'Indicates if probe failed due to regex'],
} as const;
