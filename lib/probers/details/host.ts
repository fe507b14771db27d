import Type from 'typebox';

/** The host probers' `details` (exporter/probers/host/ writes them). */
const Path = {
  /** The path as given; `resolved` when symlinks lead elsewhere. */
  path: Type.Optional(Type.String()),
  resolved: Type.Optional(Type.String()),
};

export const FileExistsDetails = Type.Object({
  ...Path,
  exists: Type.Optional(Type.Boolean()),
  type: Type.Optional(Type.Union([Type.Literal('file'), Type.Literal('directory'), Type.Literal('other')])),
  size_bytes: Type.Optional(Type.Number()),
  /** ISO 8601. */
  modified: Type.Optional(Type.String()),
});
export type FileExistsDetails = Type.Static<typeof FileExistsDetails>;

export const FileContainsDetails = Type.Object({
  ...Path,
  exists: Type.Optional(Type.Boolean()),
  lines: Type.Optional(Type.Number()),
  matching_lines: Type.Optional(Type.Number()),
  first_matching_line_number: Type.Optional(Type.Number()),
});
export type FileContainsDetails = Type.Static<typeof FileContainsDetails>;

export const ProcessRunningDetails = Type.Object({
  ...Path,
  names: Type.Optional(Type.Array(Type.String())),
  processes_matching: Type.Optional(Type.Number()),
  /** The first matching processes; exe when /proc let the agent read it. */
  processes: Type.Optional(Type.Array(Type.Object({ pid: Type.Number(), name: Type.String(), exe: Type.Optional(Type.String()) }))),
  /** Processes whose executable the agent could not read (another user's). */
  exe_unreadable: Type.Optional(Type.Number()),
});
export type ProcessRunningDetails = Type.Static<typeof ProcessRunningDetails>;
