/** The unix prober's own metric families (name, HELP), the tcp prober's failure flags; the dialogue's and TLS's come from probers/shared/. */
export const UNIX_METRICS = {
  failedDueToRegex: ['probe_failed_due_to_regex', 'Indicates if probe failed due to regex'],
  failedDueToBytes: ['probe_failed_due_to_bytes', 'Indicates if probe failed due to bytes'],
} as const;
