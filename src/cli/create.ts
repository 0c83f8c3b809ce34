import { Option } from 'commander';
import { NODE } from '../catalog.js';
import { type Answers, DIMENSIONS, packageManagerCommands } from '../choices.js';
import { apply } from '../engine/apply.js';
import { CLI_SPEC_ENV, compose, generatedSecrets, localEnv } from '../engine/compose.js';
import { UsageError } from '../engine/errors.js';
import { NOT_EMPTY_HINT, type Plan, planCreate, summarize, targetState } from '../engine/plan.js';
import { fillForced, parseAnswers, type RawAnswers, resolveAnswers } from '../engine/resolve.js';
import { toolVersion } from '../engine/state.js';
import { resolveTarget } from '../engine/target.js';
import { detectPackageManager, isInstalled, PACKAGE_MANAGERS, type PackageManager } from './package-manager.js';
import { createCli, type ExitCode } from './program.js';

/** One option per dimension; the placeholder lists what this version can build. */
const dimensionOptions = DIMENSIONS.map((d) => {
  const ready = d.choices.filter((c) => c.implemented).map((c) => c.value);
  const planned = d.choices.filter((c) => !c.implemented).map((c) => c.value);
  const value = d.kind === 'many' ? `<${[...ready, 'none'].join(',')}>` : `<${ready.join('|')}>`;
  const later = planned.length ? ` (planned: ${planned.join(', ')})` : '';
  const option = new Option(`${d.flag} ${value}`, `${d.question}${later}`);
  // `--ai openai --ai gemini` collects both; parseAnswers splits comma lists.
  if (d.kind === 'many') option.argParser((v: string, previous?: string[]) => [...(previous ?? []), v]);
  return { key: d.key, option };
});

interface Options {
  pm?: string;
  install: boolean;
  git: boolean;
  yes?: boolean;
  dryRun?: boolean;
  json?: boolean;
  force?: boolean;
  /** Each dimension's value, by the option's attribute name. */
  [dimension: string]: string | string[] | boolean | undefined;
}

interface Choices {
  dir: string;
  answers: Answers;
  pm: PackageManager | undefined;
  install: boolean;
  git: boolean;
}

const packageManager = (v: string | undefined): PackageManager | undefined => {
  if (v === undefined) return undefined;
  const pm = PACKAGE_MANAGERS.find((m) => m === v);
  if (!pm) throw new UsageError(`Unknown value "${v}" for --pm.`, `valid values: ${PACKAGE_MANAGERS.join(', ')}`);
  return pm;
};

const gatherAnswers = async (dir: string | undefined, values: Options): Promise<Choices> => {
  const raw: RawAnswers = {};
  for (const { key, option } of dimensionOptions) {
    const v = values[option.attributeName()];
    if (typeof v === 'string' || Array.isArray(v)) raw[key] = v;
  }
  const given = parseAnswers(raw);
  const rest = { pm: packageManager(values.pm), install: values.install, git: values.git };
  if (values.yes) return { dir: dir ?? 'my-api', answers: resolveAnswers(given), ...rest };
  // Dimensions with a single valid choice are settled without asking.
  const { answers: settled, open } = fillForced(given);
  const missing = [...(dir ? [] : ['[dir]']), ...open.map((d) => d.flag)];
  if (dir && missing.length === 0) return { dir, answers: resolveAnswers(settled), ...rest };
  // A folder that cannot be used is said before the questions, not after all of them.
  if (dir && !values.force && targetState(resolveTarget(dir, process.cwd()).root) === 'used')
    throw new UsageError(`Target folder ${dir} is not empty.`, NOT_EMPTY_HINT);
  // --json is for programs: it never prompts, even on a terminal.
  if (values.json || !process.stdin.isTTY || !process.stdout.isTTY) {
    throw new UsageError(
      `Missing answers and ${values.json ? '--json never asks' : 'no terminal to ask'}: ${missing.join(', ')}.`,
      'pass them as flags, or --yes to take the defaults',
    );
  }
  const { ask } = await import('./prompts.js');
  return ask({ dir, given, force: Boolean(values.force), ...rest });
};

const create = async (dir: string | undefined, values: Options): Promise<ExitCode> => {
  const json = Boolean(values.json);
  const choice = await gatherAnswers(dir, values);
  const { name, root } = resolveTarget(choice.dir, process.cwd());
  const cliSpec = process.env[CLI_SPEC_ENV];
  const pm = choice.pm ?? detectPackageManager();
  const project = { name, answers: choice.answers, pm, ...(cliSpec ? { cliSpec } : {}) };
  const plan = planCreate(compose(project), root, Boolean(values.force), new Map([['.env', localEnv(project)]]));
  if (values.dryRun) {
    if (json) printJson({ ok: true, dryRun: true, dir: root, name, answers: choice.answers, ...filesOf(plan) });
    else {
      process.stdout.write(`Dry run: would write ${root}\n`);
      for (const e of plan.entries) process.stdout.write(`  ${e.action.padEnd(9)} ${e.path}\n`);
    }
    return 0;
  }
  // Checked before writing: a missing package manager would otherwise fail after the files are there.
  if (choice.install && !isInstalled(pm)) {
    const others = PACKAGE_MANAGERS.filter((m) => m !== pm && isInstalled(m));
    throw new UsageError(
      `${pm} is not installed (not found on PATH).`,
      `install it, ${others.length ? `pick one that is (--pm ${others.join(', --pm ')}), ` : ''}or pass --no-install`,
    );
  }
  await apply(plan);
  // Install and git pull in execa; a run that skips both never loads it.
  const steps =
    choice.install || choice.git
      ? await (await import('./finish.js')).finish({
          root,
          pm,
          install: choice.install,
          git: choice.git,
          quiet: json,
          unpublished: `create-omnistack ${toolVersion()} is not on the registry: create the project with ${CLI_SPEC_ENV}=file:<a packed create-omnistack .tgz>, or point package.json at one.`,
        })
      : { installed: false, git: false, notes: [], nodeTooOld: false };
  const { installed, git, notes } = steps;
  if (json) printJson({ ok: true, dir: root, name, answers: choice.answers, ...filesOf(plan), installed, git, notes });
  else {
    for (const note of steps.notes) process.stdout.write(`${note}\n`);
    const env = !plan.entries.some((e) => e.path === '.env')
      ? 'your .env, kept as it was'
      : generatedSecrets(project).length
        ? 'a local .env holding fresh secrets (.env.example documents each)'
        : 'a local .env from .env.example';
    process.stdout.write(nextSteps(choice.dir, pm, env, steps, choice.answers));
  }
  return 0;
};

const cli = createCli('create-omnistack', 'Scaffold a production-ready Hono backend on Node.js.');
cli.program
  .usage('[dir] [options]')
  .argument('[dir]')
  .optionsGroup('Choices (the first value is the default; lists take comma-separated values):');
for (const { option } of dimensionOptions) cli.program.addOption(option);
cli.program
  .optionsGroup('Options:')
  .option(`--pm <${PACKAGE_MANAGERS.join('|')}>`, 'package manager (default: the one running this)')
  .option('--no-install', 'skip installing dependencies')
  .option('--no-git', 'skip git init and the first commit')
  .option('-y, --yes', 'use defaults for every choice not given')
  .option('--dry-run', 'print the file plan and write nothing')
  .option('--json', 'machine-readable result on stdout')
  .option('--force', 'write into a non-empty folder (replaced files are backed up, nothing is deleted)')
  .addHelpText(
    'after',
    `
Examples:
  $ npx create-omnistack my-api --yes
  $ npx create-omnistack my-api --db postgres --cache redis --deploy fly
  $ npx create-omnistack my-api --yes --no-install --dry-run --json
`,
  )
  .action(cli.action(create));

export const run = cli.run;

/** The plan in --json output, the same in dry and real runs: every file with its action, and the counts. */
const filesOf = (plan: Plan) => ({
  files: plan.entries.map((e) => ({ path: e.path, action: e.action })),
  counts: summarize(plan),
});

const printJson = (result: object) => process.stdout.write(`${JSON.stringify(result)}\n`);

const nextSteps = (
  dir: string,
  pm: PackageManager,
  env: string,
  { installed, nodeTooOld }: { installed: boolean; nodeTooOld: boolean },
  a: Answers,
): string => {
  const { install, run } = packageManagerCommands(pm);
  /** [command, why] in the order to run them. */
  const steps: [string, string?][] = [];
  if (dir !== '.') steps.push([`cd ${dir}`]);
  if (!installed && nodeTooOld) steps.push(['nvm install', `Node ${NODE.primary}, from .nvmrc`]);
  if (!installed) steps.push([install]);
  if (a.db === 'postgres')
    steps.push([`${run} db:local`, 'in another terminal: PostgreSQL for DATABASE_URL in .env, or point it at yours']);
  if (a.cache === 'redis') steps.push(['redis-server', 'in another terminal, or point REDIS_URL in .env at yours']);
  steps.push([`${run} dev`]);
  if (a.jobs === 'bullmq') steps.push([`${run} worker:dev`, 'in another terminal: runs the background jobs']);
  const width = Math.max(...steps.map(([command]) => command.length)) + 2;
  const lines = steps.map(([command, why]) => `  ${why ? `${command.padEnd(width)}# ${why}` : command}`);
  return `\nCreated ${dir}, with ${env}. Next steps:\n\n${lines.join('\n')}\n\n`;
};
