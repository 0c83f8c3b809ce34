import { Command, Option } from 'commander';
import { apply } from '../engine/apply.js';
import { compose } from '../engine/compose.js';
import { type Answers, DIMENSIONS, type DimensionKey, type PartialAnswers } from '../engine/config.js';
import { UsageError } from '../engine/errors.js';
import { planCreate, summarize } from '../engine/plan.js';
import { parseAnswers, type RawAnswers, resolveAnswers } from '../engine/resolve.js';
import { toolVersion } from '../engine/state.js';
import { resolveTarget } from '../engine/target.js';
import { reportError } from './output.js';
import { detectPackageManager, PACKAGE_MANAGERS, type PackageManager } from './package-manager.js';

interface Flags extends RawAnswers {
  pm?: PackageManager;
  install: boolean;
  git: boolean;
  yes?: boolean;
  dryRun?: boolean;
  json?: boolean;
  force?: boolean;
}

const EXAMPLES = `
Examples:
  $ npx create-omnistack my-api --yes
  $ npx create-omnistack my-api --db postgres --cache redis --deploy fly
  $ npx create-omnistack my-api --yes --no-install --dry-run --json
`;

export const program = (): Command => {
  const cmd = new Command('create-omnistack')
    .description('Scaffold a production-ready Hono backend on Node.js.')
    .version(toolVersion(), '-v, --version')
    .argument('[dir]', 'folder to create (its name becomes the package name)')
    .addHelpText('after', EXAMPLES)
    .exitOverride()
    .configureOutput({ outputError: () => {} });
  for (const d of DIMENSIONS) {
    const values = d.choices.map((c) => c.value).join('|');
    const arg = d.kind === 'many' ? `<${values}|none>` : `<${values}>`;
    cmd.option(`${d.flag} ${d.kind === 'many' ? arg.replace('<', '<comma list of ') : arg}`, d.question);
  }
  cmd
    .addOption(
      new Option('--pm <pm>', 'package manager (default: the one that launched this)').choices(PACKAGE_MANAGERS),
    )
    .option('--no-install', 'skip installing dependencies')
    .option('--no-git', 'skip git init and the first commit')
    .option('-y, --yes', 'use defaults for every choice not given')
    .option('--dry-run', 'print the file plan and write nothing')
    .option('--json', 'machine-readable result on stdout')
    .option('--force', 'write into a non-empty folder (replaced files are backed up, nothing is deleted)');
  return cmd;
};

/** Answers not given on the command line, by flag name. */
const missingFlags = (given: PartialAnswers): string[] =>
  DIMENSIONS.filter((d) => given[d.key] === undefined).map((d) => d.flag);

const gatherAnswers = async (dir: string | undefined, flags: Flags) => {
  const given = parseAnswers(
    Object.fromEntries(DIMENSIONS.map((d) => [d.key, flags[d.key]])) as Record<DimensionKey, string>,
  );
  if (flags.yes)
    return {
      dir: dir ?? 'my-api',
      answers: resolveAnswers(given),
      pm: flags.pm,
      install: flags.install,
      git: flags.git,
    };
  const missing = [...(dir ? [] : ['[dir]']), ...missingFlags(given)];
  if (missing.length === 0)
    return { dir: dir as string, answers: resolveAnswers(given), pm: flags.pm, install: flags.install, git: flags.git };
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw new UsageError(
      `Missing answers and no terminal to ask: ${missing.join(', ')}.`,
      'pass them as flags, or --yes to take the defaults',
    );
  }
  const { ask } = await import('./prompts.js');
  return ask({ dir, given, pm: flags.pm, install: flags.install, git: flags.git });
};

export const run = async (argv: string[]): Promise<number> => {
  const cmd = program();
  let json = argv.includes('--json');
  try {
    cmd.parse(argv, { from: 'user' });
  } catch (err) {
    const e = err as { code?: string; exitCode?: number; message: string };
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return 0;
    return reportError(new UsageError(e.message.replace(/^error: /, ''), 'see create-omnistack --help'), json);
  }
  const flags = cmd.opts<Flags>();
  json = Boolean(flags.json);
  try {
    const choice = await gatherAnswers(cmd.args[0], flags);
    const { name, root } = resolveTarget(choice.dir, process.cwd());
    const tree = compose({ name, answers: choice.answers });
    const plan = planCreate(tree, root, Boolean(flags.force));
    if (flags.dryRun) {
      printResult(json, {
        ok: true,
        dryRun: true,
        dir: root,
        name,
        answers: choice.answers,
        files: plan.entries.map((e) => ({ path: e.path, action: e.action })),
      });
      if (!json) for (const e of plan.entries) process.stdout.write(`  ${e.action.padEnd(9)} ${e.path}\n`);
      return 0;
    }
    await apply(plan);
    const pm = choice.pm ?? detectPackageManager();
    const { finish } = await import('./finish.js');
    const steps = await finish({ root, pm, install: choice.install, git: choice.git, quiet: json });
    printResult(json, { ok: true, dir: root, name, answers: choice.answers, files: summarize(plan), ...steps });
    if (!json) process.stdout.write(nextSteps(choice.dir, pm, steps.installed, choice.answers));
    return 0;
  } catch (err) {
    return reportError(err, json);
  }
};

const printResult = (json: boolean, result: object) => {
  if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
};

const nextSteps = (dir: string, pm: PackageManager, installed: boolean, a: Answers): string => {
  const runCmd = pm === 'npm' ? 'npm run' : pm;
  const lines = [`\nCreated ${dir}. Next steps:\n`, `  cd ${dir}`];
  if (!installed) lines.push(`  ${pm} install`);
  if (a.db === 'postgres') lines.push('  # set DATABASE_URL in .env (see .env.example)');
  lines.push('  cp .env.example .env', `  ${runCmd} dev`, '');
  return `${lines.join('\n')}\n`;
};
