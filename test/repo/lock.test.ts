import { readFileSync } from 'node:fs';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

interface LockPackage {
  version?: string;
  engines?: { node?: string } | string[];
  optional?: boolean;
  dev?: boolean;
  os?: string[];
}

const lock = JSON.parse(readFileSync(new URL('../../package-lock.json', import.meta.url), 'utf8')) as {
  packages: Record<string, LockPackage>;
};
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { engines: { node: string } };

/** The Node lines Pulse supports; the lowest is the floor package.json states. */
const SUPPORTED = [semver.minVersion(pkg.engines.node)!.version, '22.0.0', '24.0.0'];

describe('package-lock.json', () => {
  // Runtime packages must run on every supported line; development tools (vitest and its
  // bundler want 20.19+) need only run on this machine, where npm would otherwise warn EBADENGINE.
  it('installs nothing that refuses a supported Node version', () => {
    const refusing: string[] = [];
    for (const [path, p] of Object.entries(lock.packages)) {
      const range = !Array.isArray(p.engines) ? p.engines?.node : undefined;
      if (!path || !range) continue;
      const versions = p.dev ? [process.versions.node] : SUPPORTED;
      for (const v of versions) {
        if (!semver.satisfies(v, range)) refusing.push(`${path}@${p.version} wants node ${range}, not ${v}`);
      }
    }
    expect(refusing).toEqual([]);
  });

  it("lists every platform's optional packages, so npm ci accepts it on a fresh clone", () => {
    // biome ships one optional binary package per platform; a lock made where the registry lacked
    // some of them is refused by `npm ci` as out of sync with package.json.
    const biome = Object.keys(lock.packages).filter((p) => p.startsWith('node_modules/@biomejs/cli-'));
    expect(biome.length).toBeGreaterThanOrEqual(8);
    expect(biome.some((p) => p.includes('darwin'))).toBe(true);
    expect(biome.some((p) => p.includes('win32'))).toBe(true);
  });
});
