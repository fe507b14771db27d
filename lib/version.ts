import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** The package version, read once on first use (not at import). */
export function pulseVersion(): string {
  // A bundle (scripts/bundle.mjs) carries its version: there is no package.json beside its chunks.
  const bundled = (globalThis as { PULSE_BUNDLED_VERSION?: string }).PULSE_BUNDLED_VERSION;
  if (bundled !== undefined) return bundled;
  if (cached === undefined) {
    const url = new URL('../package.json', import.meta.url);
    let text: string;
    try {
      text = readFileSync(url, 'utf8');
    } catch {
      // Compiled code lives one folder deeper, in dist/.
      text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
    }
    cached = (JSON.parse(text) as { version: string }).version;
  }
  return cached;
}
