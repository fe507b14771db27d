/**
 * The dns target that means "the agent's own resolvers" (its resolv.conf nameservers): what
 * `pulse dns NAME` and the page send when no resolver is given.
 */
export const SYSTEM_RESOLVER = 'system';
