import { describe, expect, it } from 'vitest';
import { type CpuProfile, packageOf, summarizeProfile } from '../../bench/profile-summary.js';

const profile: CpuProfile = {
  startTime: 0,
  endTime: 10,
  nodes: [
    { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1 }, children: [2, 3, 4, 5] },
    { id: 2, callFrame: { functionName: 'renderExposition', url: 'file:///repo/dist/lib/probe/exposition.js', lineNumber: 2 } },
    { id: 3, callFrame: { functionName: 'write', url: 'file:///repo/node_modules/pino/lib/tools.js', lineNumber: 9 } },
    { id: 4, callFrame: { functionName: '(garbage collector)', url: '', lineNumber: -1 } },
    { id: 5, callFrame: { functionName: 'connect', url: 'node:net', lineNumber: 99 } },
  ],
  samples: [2, 2, 2, 2, 3, 3, 4, 5, 5, 5],
};

describe('CPU profile summary', () => {
  it('attributes self time by function and by package, in percent, largest first', () => {
    const s = summarizeProfile(profile);
    expect(s.byFunction[0]).toEqual({ name: 'renderExposition lib/probe/exposition.js:3', selfPercent: 40 });
    expect(s.byPackage).toEqual([
      { name: 'pulse lib/probe', selfPercent: 40 },
      { name: 'node (internals)', selfPercent: 30 },
      { name: 'pino', selfPercent: 20 },
      { name: '(gc)', selfPercent: 10 },
    ]);
  });

  it('names scoped packages by scope and name', () => {
    expect(packageOf('file:///r/node_modules/@peculiar/x509/build/x.js', 'f')).toBe('@peculiar/x509');
    expect(packageOf('file:///r/dist/exporter/probers/http/run.js', 'f')).toBe('pulse exporter/probers');
  });
});
