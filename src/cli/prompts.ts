import * as p from '@clack/prompts';
import { type Answers, answerFlags, DIMENSIONS, describeAnswers, type PartialAnswers } from '../choices.js';
import type { UsageError } from '../engine/errors.js';
import { targetState } from '../engine/plan.js';
import { forcedAnswer, resolveAnswers, validChoicesFor } from '../engine/resolve.js';
import { resolveTarget } from '../engine/target.js';
import { detectPackageManager, isInstalled, PACKAGE_MANAGERS, type PackageManager } from './package-manager.js';

interface AskInput {
  dir: string | undefined;
  given: PartialAnswers;
  pm: PackageManager | undefined;
  install: boolean;
  git: boolean;
  force: boolean;
}

/** Ctrl-C at any prompt: nothing has been written yet, so we only need to leave with a clear exit. */
const answered = <T>(value: T): Exclude<T, symbol> => {
  if (p.isCancel(value)) {
    p.cancel('Cancelled; nothing was written.');
    process.exit(130);
  }
  return value as Exclude<T, symbol>;
};

/** Asks for every answer not given as a flag, offering only choices valid with the answers so far. */
export const ask = async (input: AskInput) => {
  p.intro('create-omnistack');
  const dir =
    input.dir ??
    (answered(
      await p.text({
        message: 'Project folder',
        placeholder: 'my-api',
        defaultValue: 'my-api',
        validate: (v) => {
          try {
            const { root } = resolveTarget(v || 'my-api', process.cwd());
            // Said here, so the user picks another name now rather than after every other question.
            if (!input.force && targetState(root) === 'used') return `${root} is not empty: choose another name`;
          } catch (err) {
            return (err as UsageError).message;
          }
        },
      }),
    ) ||
      'my-api');
  const sofar: Record<string, string | string[]> = { ...input.given } as Record<string, string | string[]>;
  for (const d of DIMENSIONS) {
    if (sofar[d.key] !== undefined) continue;
    // Nothing to choose (one valid choice, or an empty set): settled without a question.
    const forced = forcedAnswer(d, sofar as PartialAnswers);
    if (forced !== undefined) {
      sofar[d.key] = forced;
      // Said when it is a choice the user did not make themselves (bullmq brings redis).
      if (forced !== d.defaultValue && !(Array.isArray(forced) && forced.length === 0))
        p.log.info(`${d.question} ${[forced].flat().join(', ')}: the only choice that works with your other answers`);
      continue;
    }
    const valid = validChoicesFor(d, sofar as PartialAnswers);
    const options = d.choices.filter((c) => valid.includes(c.value)).map((c) => ({ value: c.value, label: c.label }));
    sofar[d.key] =
      d.kind === 'many'
        ? answered(
            await p.multiselect({
              message: `${d.question} (space to toggle, enter to confirm)`,
              options,
              required: false,
            }),
          )
        : answered(
            await p.select({
              message: d.question,
              options,
              initialValue: valid.includes(d.defaultValue as string) ? (d.defaultValue as string) : valid[0],
            }),
          );
  }
  const answers: Answers = resolveAnswers(sofar as PartialAnswers);
  // Only the ones installed here; npm comes with Node, so the list is never empty in practice.
  const installed = PACKAGE_MANAGERS.filter((m) => isInstalled(m));
  const detected = detectPackageManager();
  const pm =
    input.pm ??
    answered(
      await p.select({
        message: 'Package manager',
        options: (installed.length ? installed : ['npm' as const]).map((m) => ({ value: m, label: m })),
        initialValue: installed.includes(detected) ? detected : installed[0],
      }),
    );
  const install =
    input.install && answered(await p.confirm({ message: `Install dependencies with ${pm}?`, initialValue: true }));
  const git = input.git && answered(await p.confirm({ message: 'Initialize a git repository?', initialValue: true }));
  const again = ['npx create-omnistack', dir, ...answerFlags(answers), '--pm', pm];
  if (!install) again.push('--no-install');
  if (!git) again.push('--no-git');
  p.note(`${describeAnswers(answers)}\n\nThe same without questions:\n${again.join(' ')}`, 'Your project');
  return { dir, answers, pm, install, git };
};
