/**
 * What a probe may reach (exporter/policy/policy.ts compiles it from target_policy). It lives
 * beside ProbeContext because every probe carries one: the probers pass it to each check.
 */
export interface TargetPolicy {
  /** Why `address` (reached for the name `host`) may not be probed, or undefined. */
  checkAddress(host: string, address: string): string | undefined;
  /** Why `port` on `address` may not be probed, or undefined. */
  checkPort(address: string, port: number): string | undefined;
  /** Why a name may not be probed (before it is resolved), or undefined. */
  checkName(host: string): string | undefined;
}
