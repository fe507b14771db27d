import { parseDuration } from '../lib/duration.js';
import { PulseError } from '../lib/errors.js';

/** Used when Prometheus sends no scrape-timeout header, as blackbox_exporter does. */
export const DEFAULT_SCRAPE_TIMEOUT_SECONDS = 120;

/**
 * The probe's timeout: the module's, capped by Prometheus's scrape timeout minus an offset so the
 * answer arrives before Prometheus gives up on the scrape.
 */
export function probeTimeoutSeconds(moduleTimeout: string | undefined, header: string | undefined, offsetSeconds: number): number {
  let scrape = DEFAULT_SCRAPE_TIMEOUT_SECONDS;
  if (header !== undefined && header !== '') {
    const parsed = Number(header);
    if (!/^[0-9]+(\.[0-9]+)?$/.test(header.trim()) || !Number.isFinite(parsed) || parsed <= 0) {
      throw new PulseError('PULSE_BAD_TIMEOUT', `X-Prometheus-Scrape-Timeout-Seconds is not a positive number: "${header.slice(0, 64)}"`);
    }
    scrape = parsed;
  }
  let timeout = scrape - offsetSeconds;
  if (timeout <= 0) timeout = scrape;
  if (moduleTimeout !== undefined) {
    const mod = parseDuration(moduleTimeout);
    if (mod > 0 && mod < timeout) timeout = mod;
  }
  return timeout;
}
