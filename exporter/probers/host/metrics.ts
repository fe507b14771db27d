/** Names and help of the host-check gauges, in one place so docs and tests can follow them. */
export const HOST_METRICS = {
  fileExists: ['probe_host_file_exists', 'Whether the path exists (1) or not (0); a symlink counts when its target exists'],
  fileSize: ['probe_host_file_size_bytes', 'Size of the file in bytes'],
  fileModified: ['probe_host_file_modified_timestamp_seconds', 'Last modification time of the file, in Unix seconds'],
  matchingLines: ['probe_host_file_matching_lines', 'Number of lines of the file that contain the check string or match the regexp'],
  linesRead: ['probe_host_file_lines', 'Number of lines read from the file'],
  processes: ['probe_host_processes_matching', 'Number of running processes that match the executable path and/or name'],
} as const satisfies Record<string, readonly [string, string]>;
