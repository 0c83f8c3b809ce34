import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compose } from '../src/engine/compose.js';
import { type Answers, DEFAULT_ANSWERS, DIMENSIONS } from '../src/engine/config.js';
import { fillForced, validChoicesFor } from '../src/engine/resolve.js';
import { CREATE, PTY, readTree, runProcess, useTempDirs, waitFor } from './helpers.js';

const tmp = useTempDirs('prompts');
const hasPython = spawnSync('python3', ['--version']).status === 0;

const KEY = { enter: '\r', down: '\u001b[B', up: '\u001b[A', space: ' ', ctrlC: '\u0003' };
interface Step {
  expect: string;
  send: string;
}

/** Runs create-omnistack on a pseudo-terminal (test/pty-run.py), typing `steps`; returns exit code and screen text. */
const onTerminal = async (cwd: string, args: string[], steps: Step[]) => {
  const r = await runProcess('python3', [PTY, JSON.stringify(steps), '15', '--', process.execPath, CREATE, ...args], {
    cwd,
    env: { TERM: 'xterm-256color' },
    timeoutMs: 40_000,
  });
  if (r.code === 124 || r.code === 125) throw new Error(`${r.stderr}\n--- screen ---\n${r.stdout}`);
  return { code: r.code, screen: r.stdout };
};

const question = (key: string): string => DIMENSIONS.find((d) => d.key === key)?.question ?? key;

describe.skipIf(!hasPython)('prompts on a terminal', () => {
  it.concurrent('answering every prompt creates the project with those answers, offering only valid choices', async () => {
    const cwd = tmp();
    const steps: Step[] = [
      { expect: 'Project folder', send: `pty-app${KEY.enter}` },
      { expect: question('db'), send: KEY.down + KEY.enter }, // postgres
      { expect: question('cache'), send: KEY.down + KEY.enter }, // redis
      { expect: question('storage'), send: KEY.down + KEY.enter }, // none
      { expect: question('email'), send: KEY.down + KEY.enter }, // none
      { expect: question('deploy'), send: KEY.down.repeat(3) + KEY.enter }, // fly
      { expect: 'Package manager', send: KEY.down + KEY.enter }, // pnpm
      { expect: 'Install dependencies with pnpm?', send: 'n' },
      { expect: 'Initialize a git repository?', send: 'n' },
    ];
    const { code, screen } = await onTerminal(cwd, [], steps);
    expect(code, screen).toBe(0);
    const answers: Answers = {
      ...DEFAULT_ANSWERS,
      db: 'postgres',
      cache: 'redis',
      storage: 'none',
      email: 'none',
      deploy: 'fly',
    };
    const written = JSON.parse(readFileSync(join(cwd, 'pty-app', 'omnistack.json'), 'utf8')) as { answers: Answers };
    expect(written.answers).toEqual(answers);
    expect(readTree(join(cwd, 'pty-app'))).toEqual(compose({ name: 'pty-app', answers }));
    expect(screen).toContain('pnpm install');

    // Only questions with a real choice were asked, and only implemented, valid choices were shown.
    const { open } = fillForced({});
    expect(open.map((d) => d.key)).toEqual(['db', 'cache', 'storage', 'email', 'deploy']);
    for (const d of DIMENSIONS) {
      if (!open.includes(d)) expect(screen).not.toContain(d.question);
      for (const c of d.choices) {
        const offered = validChoicesFor(d, {}).includes(c.value) && open.includes(d);
        if (offered) expect(screen).toContain(c.label);
        else if (!c.implemented) expect(screen, `${d.key}=${c.value}`).not.toContain(c.label);
      }
    }
  });

  it.concurrent('flags skip their prompts, and a bad folder name is refused at the prompt', async () => {
    const cwd = tmp();
    const { code, screen } = await onTerminal(
      cwd,
      [
        '--db',
        'sqlite',
        '--cache',
        'memory',
        '--storage',
        'local',
        '--email',
        'console',
        '--pm',
        'npm',
        '--no-install',
      ],
      [
        { expect: 'Project folder', send: `Bad Name${KEY.enter}` },
        { expect: 'is not a valid package name', send: `${'\u007f'.repeat(8)}good-name${KEY.enter}` },
        { expect: question('deploy'), send: KEY.down + KEY.enter }, // docker
        { expect: 'Initialize a git repository?', send: 'n' },
      ],
    );
    expect(code, screen).toBe(0);
    for (const k of ['db', 'cache', 'storage', 'email']) expect(screen).not.toContain(question(k));
    expect(screen).not.toContain('Package manager');
    expect(screen).not.toContain('Install dependencies');
    expect(readdirSync(cwd)).toEqual(['good-name']);
    const written = JSON.parse(readFileSync(join(cwd, 'good-name', 'omnistack.json'), 'utf8')) as { answers: Answers };
    expect(written.answers.deploy).toBe('docker');
  });

  it.concurrent('--json never prompts: missing answers are a usage error, as JSON', async () => {
    const cwd = tmp();
    const { code, screen } = await onTerminal(cwd, ['my-api', '--json'], []);
    expect(code, screen).toBe(2);
    const out = JSON.parse(screen.trim()) as { ok: boolean; error: string };
    expect(out.ok).toBe(false);
    expect(out.error).toContain('Missing answers and --json never asks: --db');
    expect(readdirSync(cwd)).toEqual([]);
  });

  const toLastQuestion: Step[] = [
    { expect: 'Project folder', send: KEY.enter },
    { expect: question('db'), send: KEY.enter },
    { expect: question('cache'), send: KEY.enter },
    { expect: question('storage'), send: KEY.enter },
    { expect: question('email'), send: KEY.enter },
    { expect: question('deploy'), send: KEY.enter },
    { expect: 'Package manager', send: KEY.enter },
    { expect: 'Install dependencies', send: 'n' },
  ];
  it.concurrent.each([
    ['the folder prompt', [{ expect: 'Project folder', send: KEY.ctrlC }]],
    [
      'a choice',
      [
        { expect: 'Project folder', send: `my-api${KEY.enter}` },
        { expect: question('db'), send: KEY.down + KEY.enter },
        { expect: question('cache'), send: KEY.ctrlC },
      ],
    ],
    ['the last question', [...toLastQuestion, { expect: 'Initialize a git repository?', send: KEY.ctrlC }]],
  ])('Ctrl-C at %s exits 130 and leaves no folder', async (_label, steps: Step[]) => {
    const cwd = tmp();
    const { code, screen } = await onTerminal(cwd, [], steps);
    expect(code, screen).toBe(130);
    expect(screen).toContain('Cancelled; nothing was written.');
    expect(readdirSync(cwd)).toEqual([]);
  });

  it.concurrent('Ctrl-C during install stops the package manager too and exits non-zero', async () => {
    const cwd = tmp();
    const bin = tmp();
    const pidFile = join(bin, 'npm.pid');
    writeFileSync(join(bin, 'npm'), `#!/bin/sh\necho $$ > "${pidFile}"\necho fake-npm-started\nexec sleep 30\n`);
    chmodSync(join(bin, 'npm'), 0o755);
    const r = await runProcess(
      'python3',
      [
        PTY,
        // The progress line shows the package manager's last output line: it is running.
        JSON.stringify([{ expect: 'fake-npm-started', send: KEY.ctrlC }]),
        '15',
        '--',
        process.execPath,
        CREATE,
        'my-api',
        '--yes',
        '--pm',
        'npm',
        '--no-git',
      ],
      { cwd, env: { TERM: 'xterm-256color', PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` }, timeoutMs: 40_000 },
    );
    expect(r.code, `${r.stderr}\n${r.stdout}`).toBe(130);
    await waitFor(() => existsSync(pidFile), 5_000, 'the fake npm to start');
    const pid = Number(readFileSync(pidFile, 'utf8'));
    await waitFor(
      () => {
        try {
          process.kill(pid, 0);
          return false;
        } catch {
          return true;
        }
      },
      5_000,
      'the fake npm to stop',
    );
    // The files were written before the install started; they stay.
    expect(existsSync(join(cwd, 'my-api', 'package.json'))).toBe(true);
  });
});
