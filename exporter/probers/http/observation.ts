import type { BodyMatchSummary } from './checks.js';
import type { Phase, Timeline } from './timeline.js';
import type { TlsInfo } from '../shared/tls-info.js';

/** Everything one http probe saw; metrics and details are both rendered from it. */
export interface Observation {
  /** Undefined when resolution was skipped (proxy with skip_resolve_phase_with_proxy). */
  resolution?: {
    lookupSeconds: number;
    /** Undefined when the lookup failed. */
    address?: string;
    family?: 4 | 6;
  };
  timelines: Timeline[];
  hops: HopRecord[];
  redirects: number;
  final?: FinalResponse;
  failedDueToRegex: boolean;
  /** Set once a CEL check ran (or would have: the module has one); undefined without CEL options. */
  failedDueToCel?: boolean;
  bodyMatch?: BodyMatchSummary;
  reason?: string;
}

export interface HopRecord {
  url: string;
  method: string;
  /** Where the socket went: the resolved address, the endpoint, or the proxy. */
  connected_to: string;
  via_proxy?: string;
  status?: number;
  location?: string;
}

export interface FinalResponse {
  url: string;
  status: number;
  /** "1.1", "2.0"... */
  version: string;
  headers: [string, string][];
  contentLength: number;
  bodyBytes: number;
  bodyRead: boolean;
  lastModified?: number;
  tls?: TlsInfo;
}

export type PhaseSeconds = Record<Phase, number>;
