import * as p from '@clack/prompts';
import { type Answers, DIMENSIONS, type PartialAnswers } from '../engine/config.js';
import type { UsageError } from '../engine/errors.js';
import { resolveAnswers, validChoicesFor } from '../engine/resolve.js';
import { resolveTarget } from '../engine/target.js';
import { detectPackageManager, PACKAGE_MANAGERS, type PackageManager } from './package-manager.js';

interface AskInput {
  dir: string | undefined;
  given: PartialAnswers;
  pm: PackageManager | undefined;
  install: boolean;
  git: boolean;
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
    answered(
      await p.text({
        message: 'Project folder',
        placeholder: 'my-api',
        defaultValue: 'my-api',
        validate: (v) => {
          try {
            resolveTarget(v || 'my-api', process.cwd());
          } catch (err) {
            return (err as UsageError).message;
          }
        },
      }),
    );
  const sofar: PartialAnswers = { ...input.given };
  for (const d of DIMENSIONS) {
    if (sofar[d.key] !== undefined) continue;
    const valid = validChoicesFor(d, sofar);
    const options = d.choices.filter((c) => valid.includes(c.value)).map((c) => ({ value: c.value, label: c.label }));
    if (d.kind === 'many') {
      // A set dimension with nothing implemented has nothing to ask.
      const picked = options.length
        ? answered(
            await p.multiselect({
              message: `${d.question} (space to toggle, enter for none)`,
              options,
              required: false,
            }),
          )
        : [];
      Object.assign(sofar, { [d.key]: picked });
    } else if (options.length === 1) {
      Object.assign(sofar, { [d.key]: options[0]?.value });
    } else {
      Object.assign(sofar, {
        [d.key]: answered(await p.select({ message: d.question, options, initialValue: d.defaultValue as string })),
      });
    }
  }
  const answers: Answers = resolveAnswers(sofar);
  const pm =
    input.pm ??
    answered(
      await p.select({
        message: 'Package manager',
        options: PACKAGE_MANAGERS.map((m) => ({ value: m, label: m })),
        initialValue: detectPackageManager(),
      }),
    );
  const install =
    input.install && answered(await p.confirm({ message: `Install dependencies with ${pm}?`, initialValue: true }));
  const git = input.git && answered(await p.confirm({ message: 'Initialize a git repository?', initialValue: true }));
  return { dir, answers, pm, install, git };
};
