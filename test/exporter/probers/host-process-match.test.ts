import { describe, expect, it } from 'vitest';
import { argv0, nameMatches, pathMatches, type ProcInfo, processMatches, stripDeleted } from '../../../exporter/probers/host/process-match.js';
import { processTargetError } from '../../../exporter/probers/host/process-running.js';

const sshd: ProcInfo = { pid: 10, comm: 'sshd', exe: '/usr/sbin/sshd', argv0: 'sshd: /usr/sbin/sshd -D [listener]' };
const longName: ProcInfo = { pid: 11, comm: 'pulse-sleep-tes', exe: '/opt/bin/pulse-sleep-test', argv0: '/opt/bin/pulse-sleep-test' };
const otherUser: ProcInfo = { pid: 12, comm: 'postgres', argv0: '/usr/lib/postgresql/15/bin/postgres' };
const kthread: ProcInfo = { pid: 2, comm: 'kthreadd' };
const script: ProcInfo = { pid: 13, comm: 'backup.sh', exe: '/usr/bin/bash', argv0: '/bin/bash' };

describe('process matching', () => {
  it.each([
    [sshd, 'sshd', true],
    [sshd, 'ssh', false],
    [longName, 'pulse-sleep-test', true], // comm is truncated to 15 bytes
    [longName, 'pulse-sleep-tes', true],
    [otherUser, 'postgres', true],
    [kthread, 'kthreadd', true],
    [script, 'backup.sh', true],
    [script, 'bash', true],
  ] as Array<[ProcInfo, string, boolean]>)('%o named %s → %s', (p, name, want) => {
    expect(nameMatches(p, name)).toBe(want);
  });

  it('matches executable paths, with argv[0] only when exe is unreadable', () => {
    expect(pathMatches(sshd, ['/usr/sbin/sshd'])).toBe(true);
    expect(pathMatches(sshd, ['/sbin/sshd'])).toBe(false);
    expect(pathMatches(otherUser, ['/usr/lib/postgresql/15/bin/postgres'])).toBe(true);
    expect(pathMatches(kthread, ['/'])).toBe(false);
    // exe is readable and says bash: argv[0] must not override it.
    expect(pathMatches({ ...script, argv0: '/opt/fake' }, ['/opt/fake'])).toBe(false);
  });

  it('requires every criterion', () => {
    expect(processMatches(longName, { paths: ['/opt/bin/pulse-sleep-test'], names: ['pulse-sleep-test'] })).toBe(true);
    expect(processMatches(longName, { paths: ['/opt/bin/pulse-sleep-test'], names: ['sshd'] })).toBe(false);
    expect(processMatches(sshd, {})).toBe(true);
  });

  it('reads argv[0] and drops " (deleted)"', () => {
    expect(argv0('/usr/bin/sleep\u00001000\u0000')).toBe('/usr/bin/sleep');
    expect(argv0('')).toBeUndefined();
    expect(stripDeleted('/usr/sbin/nginx (deleted)')).toBe('/usr/sbin/nginx');
  });
});

describe('process_running targets', () => {
  it.each([
    ['sshd', undefined],
    ['/usr/sbin/sshd', undefined],
    ['bin/sshd', 'target must be an absolute executable path or a process name without "/": "bin/sshd"'],
    ['/usr/../sbin/sshd', 'path must not contain "..": "/usr/../sbin/sshd"'],
    ['x'.repeat(256), 'process name is longer than 255 characters'],
  ])('%s', (target, reason) => {
    expect(processTargetError(target)).toBe(reason);
  });
});
