import type { TSchema } from 'typebox';
import type { UnsupportedOption } from '../config/common.js';

/** How many probes of one prober run at once and how many may wait (exporter.limits overrides it). */
export interface ProbeLimits {
  concurrency: number;
  queue: number;
}

/** How users run a prober as an ad-hoc test: the `pulse` command and the web page's tab. */
export interface TestTypeSpec {
  /** The `pulse` sub-command (and the page's form key): `ping` for icmp. */
  command: string;
  /** The page's tab title and the result's heading. */
  title: string;
  /** One line for `pulse --help` and the tab's hint. */
  summary: string;
  /** What the target is, for the generic command's usage and the generic form's field. */
  target: string;
}

/**
 * Everything Pulse knows about one prober apart from its code: its module section's schema, the
 * blackbox options it refuses by name, its cross-option rule, its default limits and, when users
 * may run it ad hoc, its test type. The config schema, the hub's validation, the exporter's
 * limits, the CLI's commands and the page's tabs are all derived from the list of these.
 */
export interface ProberSpec<S extends TSchema = TSchema> {
  name: string;
  options: S;
  unsupported?: readonly UnsupportedOption[];
  // biome-ignore lint/suspicious/noExplicitAny: each rule takes its own section's type
  rule?: (options: any) => string | undefined;
  limits?: ProbeLimits;
  test?: TestTypeSpec;
  /**
   * The schema of the `details` its results carry (lib/probers/details/); readers in client/
   * read them through the type derived from it. Every built-in prober has one
   * (test/client/details-real.test.ts); a prober without one returns open details.
   */
  details?: TSchema;
}

/** The limits a prober gets when its spec names none: probes that only open sockets are cheap. */
export const DEFAULT_PROBE_LIMITS: ProbeLimits = { concurrency: 512, queue: 4096 };

/** A test type as the hub's `GET /api/v1/types` lists it for its clients. */
export interface TestTypeInfo extends TestTypeSpec {
  type: string;
}
