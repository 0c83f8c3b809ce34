import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Answers, answerFlags, DEFAULT_ANSWERS, DIMENSIONS, type PartialAnswers } from '../src/choices.js';
import { compose } from '../src/engine/compose.js';
import { fillForced, forcedAnswer, resolveAnswers, validChoicesFor } from '../src/engine/resolve.js';
import { CREATE, PTY, readProject, runProcess, SUPPORTED_NODE, useTempDirs, waitFor } from './helpers.js';

const tmp = useTempDirs('prompts');
const hasPython = spawnSync('python3', ['--version']).status === 0;

const KEY = { enter: '\r', down: '\u001b[B', up: '\u001b[A', space: ' ', ctrlC: '\u0003' };
interface Step {
  expect: string;
  send: string;
}

/** Runs create-omnistack on a pseudo-terminal (test/pty-run.py), typing `steps`; returns exit code and screen text. */
const onTerminal = async (cwd: string, args: string[], steps: Step[], env: Record<string, string> = {}) => {
  const r = await runProcess('python3', [PTY, JSON.stringify(steps), '15', '--', process.execPath, CREATE, ...args], {
    cwd,
    env: { TERM: 'xterm-256color', ...env },
    timeoutMs: 40_000,
  });
  if (r.code === 124 || r.code === 125) throw new Error(`${r.stderr}\n--- screen ---\n${r.stdout}`);
  return { code: r.code, screen: r.stdout };
};

/** PATH with every package manager installed (stand-ins that do nothing), since only installed ones are offered. */
const allPackageManagers = (): Record<string, string> => {
  const bin = tmp();
  for (const pm of ['npm', 'pnpm', 'yarn', 'bun']) {
    writeFileSync(join(bin, pm), '#!/bin/sh\nexit 0\n');
    chmodSync(join(bin, pm), 0o755);
  }
  return { PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` };
};

const question = (key: string): string => DIMENSIONS.find((d) => d.key === key)?.question ?? key;

/**
 * What the prompts will ask, in order, for the answers not `given`, and the keys that answer each:
 * `change` picks a choice other than the one the prompt starts on (and the first item of a set),
 * `accept` takes what the prompt offers first. Walks DIMENSIONS the way src/cli/prompts.ts does.
 */
const script = (given: PartialAnswers, how: 'change' | 'accept') => {
  const sofar: Record<string, string | string[]> = { ...given } as Record<string, string | string[]>;
  const steps: Step[] = [];
  for (const d of DIMENSIONS) {
    if (sofar[d.key] !== undefined) continue;
    const forced = forcedAnswer(d, sofar as PartialAnswers);
    if (forced !== undefined) {
      sofar[d.key] = forced;
      continue;
    }
    const valid = validChoicesFor(d, sofar as PartialAnswers);
    if (d.kind === 'many') {
      // The cursor starts on the first option: space toggles it, enter confirms.
      steps.push({ expect: d.question, send: (how === 'change' ? KEY.space : '') + KEY.enter });
      sofar[d.key] = how === 'change' ? valid.slice(0, 1) : [];
      continue;
    }
    const initial = valid.includes(d.defaultValue as string) ? (d.defaultValue as string) : (valid[0] as string);
    const target = how === 'change' ? (valid.find((v) => v !== initial) ?? initial) : initial;
    const moves = valid.indexOf(target) - valid.indexOf(initial);
    steps.push({ expect: d.question, send: (moves >= 0 ? KEY.down.repeat(moves) : KEY.up.repeat(-moves)) + KEY.enter });
    sofar[d.key] = target;
  }
  return { steps, answers: resolveAnswers(sofar as PartialAnswers) };
};

/** Flags giving `answers` for the dimensions in `keys`. */
const flagsFor = (answers: PartialAnswers, keys: string[]): string[] =>
  DIMENSIONS.filter((d) => keys.includes(d.key)).flatMap((d) => {
    const v = answers[d.key] as string | string[];
    return [d.flag, Array.isArray(v) ? v.join(',') || 'none' : v];
  });

describe.skipIf(!hasPython)('prompts on a terminal', () => {
  it.concurrent('answering every prompt creates the project with those answers, offering only valid choices', async () => {
    const cwd = tmp();
    const { steps, answers } = script({}, 'change');
    expect(steps.length).toBeGreaterThan(1);
    const { code, screen } = await onTerminal(
      cwd,
      [],
      [
        { expect: 'Project folder', send: `pty-app${KEY.enter}` },
        ...steps,
        { expect: 'Package manager', send: KEY.down + KEY.enter }, // pnpm
        { expect: 'Install dependencies with pnpm?', send: 'n' },
        { expect: 'Initialize a git repository?', send: 'n' },
      ],
      allPackageManagers(),
    );
    expect(code, screen).toBe(0);
    // A summary with the command that makes the same project without questions (the box wraps it).
    expect(screen.replace(/[│\s]+/g, ' ')).toContain(
      `npx create-omnistack pty-app ${answerFlags(answers).join(' ')} --pm pnpm --no-install --no-git`,
    );
    expect(answers).not.toEqual(DEFAULT_ANSWERS);
    const written = JSON.parse(readFileSync(join(cwd, 'pty-app', 'omnistack.json'), 'utf8')) as { answers: Answers };
    expect(written.answers).toEqual(answers);
    expect(readProject(join(cwd, 'pty-app'))).toEqual(compose({ name: 'pty-app', answers, pm: 'pnpm' }));
    expect(screen).toContain('pnpm install');

    // Only questions with a real choice were asked, and only implemented, valid choices were shown.
    const { open } = fillForced({});
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
    const open = fillForced({}).open.map((d) => d.key);
    const [last] = open.slice(-1);
    const given = flagsFor(DEFAULT_ANSWERS, open.slice(0, -1));
    const { steps, answers } = script(
      Object.fromEntries(open.slice(0, -1).map((k) => [k, DEFAULT_ANSWERS[k as keyof Answers]])),
      'change',
    );
    expect(steps.map((st) => st.expect)).toEqual([question(last as string)]);
    const { code, screen } = await onTerminal(
      cwd,
      [...given, '--pm', 'npm', '--no-install'],
      [
        { expect: 'Project folder', send: `Bad Name${KEY.enter}` },
        { expect: 'is not a valid package name', send: `${'\u007f'.repeat(8)}good-name${KEY.enter}` },
        ...steps,
        { expect: 'Initialize a git repository?', send: 'n' },
      ],
    );
    expect(code, screen).toBe(0);
    for (const k of open.slice(0, -1)) expect(screen).not.toContain(question(k));
    expect(screen).not.toContain('Package manager');
    expect(screen).not.toContain('Install dependencies');
    expect(readdirSync(cwd)).toEqual(['good-name']);
    const written = JSON.parse(readFileSync(join(cwd, 'good-name', 'omnistack.json'), 'utf8')) as { answers: Answers };
    expect(written.answers).toEqual(answers);
  });

  it.concurrent('a folder that is not empty is refused at the folder prompt', async () => {
    const cwd = tmp();
    mkdirSync(join(cwd, 'taken'));
    writeFileSync(join(cwd, 'taken', 'notes.txt'), 'keep me\n');
    const { code, screen } = await onTerminal(
      cwd,
      [],
      [
        { expect: 'Project folder', send: `taken${KEY.enter}` },
        { expect: 'is not empty: choose another name', send: `${'\u007f'.repeat(5)}fresh${KEY.enter}` },
        { expect: (script({}, 'accept').steps[0] as Step).expect, send: KEY.ctrlC },
      ],
    );
    expect(code, screen).toBe(130);
    expect(readdirSync(cwd)).toEqual(['taken']);
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

  const accept = script({}, 'accept').steps;
  it.concurrent.each([
    ['the folder prompt', [{ expect: 'Project folder', send: KEY.ctrlC }]],
    [
      'a choice',
      [
        { expect: 'Project folder', send: `my-api${KEY.enter}` },
        accept[0] as Step,
        { expect: (accept[1] as Step).expect, send: KEY.ctrlC },
      ],
    ],
    [
      'the last question',
      [
        { expect: 'Project folder', send: KEY.enter },
        ...accept,
        { expect: 'Package manager', send: KEY.enter },
        { expect: 'Install dependencies', send: 'n' },
        { expect: 'Initialize a git repository?', send: KEY.ctrlC },
      ],
    ],
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
        SUPPORTED_NODE,
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
    // What was written and how to finish, not a silent exit.
    expect(r.stdout.replace(/\s+/g, ' ')).toContain(
      `Install interrupted. The project is written in ${join(cwd, 'my-api')}; finish with: cd ${join(cwd, 'my-api')} && npm install`,
    );
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
