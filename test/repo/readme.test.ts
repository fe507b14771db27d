import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Quickstart, runQuickstart } from '../../quickstart/run.js';

const root = join(import.meta.dirname, '../..');

/** README commands this test does not run, and where each is checked instead. */
const NOT_RUN: Record<string, string> = {
  'npm install && npm start': 'the install step (CI runs it); npm start is runQuickstart, started below on free ports',
  'npm test': 'the suite this test is part of',
  'npm install -g .': 'test/repo/path.test.ts, into a throwaway prefix',
  'pulse --help': 'test/repo/path.test.ts, from the linked PATH',
};

/** What some commands must print besides exiting 0 (keyed by a piece of the command). */
const EXPECT: Array<[string, RegExp]> = [
  ['pulse --help', /^Usage: pulse /],
  ['pulse agents', /^local\s+online/m],
  ['/agents/', /"name":"local"/],
  ['pulse tcp', /local\s+ok|"agent":"local".*"status":"ok"/],
  ['pulse http', /local\s+ok/],
  ['pulse mtr', /local\s+ok/],
  ['/api/v1/measurements', /"status":"ok"/],
  ['/probe?', /^probe_success 1$/m],
  ['/sd', /hub_health/],
  ['certs issue', /created .*behind-nat\.crt/],
  ['--check-config', /OK/],
];

/** The programs `npx` resolves in this checkout (test/repo/npx.test.ts checks that it does). */
const NPX: Record<string, string> = {
  pulse: 'dist/cli/main.js',
  'pulse-hub': 'dist/hub/main.js',
  'pulse-exporter': 'dist/exporter/main.js',
};

interface Block {
  lang: string;
  text: string;
  /** The last prose line before the block. */
  before: string;
}

function blocks(markdown: string): Block[] {
  const out: Block[] = [];
  let open: Block | undefined;
  let before = '';
  for (const line of markdown.split('\n')) {
    const fence = /^```(\w*)$/.exec(line);
    if (fence && !open) open = { lang: fence[1]!, text: '', before };
    else if (fence && open) {
      out.push(open);
      open = undefined;
    } else if (open) open.text += `${line}\n`;
    else if (line.trim() !== '') before = line;
  }
  return out;
}

/** One command per line; a ` # ` starts a comment. */
function commands(block: Block): string[] {
  return block.text
    .split('\n')
    .map((l) => l.replace(/\s+#\s.*$/, '').trim())
    .filter((l) => l !== '');
}

/** Shell words with '' and "" quoting; refuses pipes, lists and redirections so no shell is needed. */
function words(command: string): string[] {
  const out: string[] = [];
  for (const m of command.matchAll(/'([^']*)'|"([^"]*)"|([^\s'"]+)/g)) {
    const bare = m[3];
    if (bare !== undefined && /[|;&<>]/.test(bare)) throw new Error(`not a simple command: ${command}`);
    out.push(m[1] ?? m[2] ?? bare!);
  }
  return out;
}

/** Every address a command names is loopback. */
function onlyLoopback(command: string): boolean {
  const ips = command.match(/\b\d{1,3}(\.\d{1,3}){3}\b/g) ?? [];
  const hosts = [...command.matchAll(/\bhttps?:\/\/([^/:'"\s]+)/g)].map((m) => m[1]!);
  return ips.every((ip) => ip.startsWith('127.')) && hosts.every((h) => h === 'localhost' || h.startsWith('127.'));
}

describe('the README, run as written', () => {
  let dir = '';
  let qs: Quickstart;
  let moved: (text: string) => string;
  let env: Record<string, string>;
  const background: ResultPromise[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pulse-readme-run-'));
    // `npm start` with its data in DIR/data, on free ports: the commands below say 7778, 7777 and
    // 9115, and are moved to the ports in use exactly as the summary tells a user to.
    qs = await runQuickstart({ dir: join(dir, 'data'), logLevel: 'error', ports: { hub: 0, agents: 0, exporter: 0 } });
    const addr = (label: string): string => new RegExp(`${label}\\s+https?://([\\d.:]+)`).exec(qs.summary)![1]!;
    const ports = { '127.0.0.1:7778': addr('hub \\(users\\)'), '127.0.0.1:7777': addr('hub \\(agents\\)'), '127.0.0.1:9115': addr('exporter "local"') };
    moved = (text) => Object.entries(ports).reduce((t, [from, to]) => t.replaceAll(from, to), text);
    env = { PULSE_HUB: qs.hubUrl };
  }, 60_000);

  afterAll(async () => {
    for (const p of background) p.kill('SIGTERM');
    await Promise.allSettled(background);
    await qs?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function run(command: string): Promise<string> {
    const [program, ...args] = words(moved(command));
    const file = program === 'npx' ? NPX[args[0]!] : undefined;
    const r = file
      ? await execa('node', [join(root, file), ...args.slice(1)], { cwd: dir, env, reject: false, all: true })
      : await execa(program!, args, { cwd: dir, env, reject: false, all: true });
    expect({ command, exitCode: r.exitCode, output: r.exitCode === 0 ? '' : r.all }).toEqual({ command, exitCode: 0, output: '' });
    for (const [piece, pattern] of EXPECT) if (command.includes(piece)) expect(r.stdout, command).toMatch(pattern);
    return r.stdout;
  }

  /** A long-running program: started, and the hub must list its agent before the next step. */
  async function startAgent(command: string, configFile: string): Promise<void> {
    const [, program, ...args] = words(command);
    background.push(execa('node', [join(root, NPX[program!]!), ...args, '--log-level', 'error'], { cwd: dir, env, reject: false }));
    const name = /cert_file: .*\/([\w-]+)\.crt/.exec(await readFile(join(dir, configFile), 'utf8'))![1]!;
    for (let i = 0; i < 100; i++) {
      const { agents } = (await (await fetch(`${qs.hubUrl}/agents/`)).json()) as { agents: Array<{ name: string; active: boolean }> };
      if (agents.some((a) => a.name === name && a.active)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(await run('npx pulse agents')).toMatch(new RegExp(`^${name}\\s+online`, 'm'));
  }

  it('runs every command of every sh block that names only loopback addresses, in order', async () => {
    const readme = await readFile(join(root, 'README.md'), 'utf8');
    const ran: string[] = [];
    const skipped: string[] = [];
    for (const block of blocks(readme)) {
      const file = /`([\w.-]+\.ya?ml)`/.exec(block.before)?.[1];
      if (block.lang === 'yaml' && file) await writeFile(join(dir, file), moved(block.text));
      if (block.lang !== 'sh') continue;
      for (const command of commands(block)) {
        if (command in NOT_RUN) continue;
        if (!onlyLoopback(command)) {
          skipped.push(command);
          continue;
        }
        const config = /^npx pulse-exporter --config (\S+)$/.exec(command);
        if (config) await startAgent(command, config[1]!);
        else await run(command);
        ran.push(command);
      }
    }
    expect(skipped).toEqual([]);
    // The tour is there: the fleet, tests, a scrape, /sd, the dial-out agent.
    for (const piece of ['pulse agents', 'pulse tcp', '/probe?', '/sd', 'certs issue', 'pulse-exporter --config site.yml']) {
      expect(ran.some((c) => c.includes(piece)), piece).toBe(true);
    }
  }, 120_000);
});
