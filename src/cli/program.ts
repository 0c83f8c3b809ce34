import { Command, CommanderError } from 'commander';
import { UsageError } from '../engine/errors.js';
import { toolVersion } from '../engine/state.js';
import { reportError } from './output.js';

/** What an action returns: its exit code, or nothing for 0. */
export type ExitCode = number | undefined;

export interface Cli {
  /** The root command: give it options, arguments and `.command(...)`s. */
  program: Command;
  /** Wraps a handler for `.action()`: what the handler returns becomes the exit code. */
  action: <A extends unknown[]>(handler: (...args: A) => ExitCode | Promise<ExitCode>) => (...args: A) => Promise<void>;
  /** Parses `argv` (the arguments after the script) and runs the action; returns the exit code, never throws. */
  run: (argv: string[]) => Promise<number>;
}

/**
 * A commander program with our conventions: -h/--help and -v/--version, help on stdout, and every
 * parse error (unknown option or command, missing value, extra argument) a UsageError: exit 2,
 * `error: ...` with a hint, or the `{ ok: false }` line under --json. Subcommands inherit all of it.
 */
export const createCli = (name: string, description: string): Cli => {
  let exitCode: ExitCode;
  /** The command being parsed when an error happens: the hint names its help. */
  let current: Command;
  const program = new Command(name)
    .description(description)
    .helpOption('-h, --help', 'show this help')
    .helpCommand('help [command]', 'show the help of a command')
    .version(toolVersion(), '-v, --version', 'print the version')
    .exitOverride()
    // Errors are printed by reportError, as every other error is.
    .configureOutput({ outputError: () => {} })
    .showSuggestionAfterError()
    .hook('preSubcommand', (_, sub) => {
      current = sub;
    });
  return {
    program,
    action:
      (handler) =>
      async (...args) => {
        exitCode = await handler(...args);
      },
    run: async (argv) => {
      exitCode = undefined;
      current = program;
      try {
        await program.parseAsync(argv, { from: 'user' });
        return exitCode ?? 0;
      } catch (err) {
        if (!(err instanceof CommanderError)) return reportError(err, argv.includes('--json'));
        // --help and --version print and exit 0; a program with commands, given none, prints its help to stderr.
        if (err.exitCode === 0) return 0;
        if (err.code === 'commander.help') return 2;
        return reportError(usageError(err, current), argv.includes('--json'));
      }
    },
  };
};

/** `error: unknown command 'lst'\n(Did you mean list?)` -> `Unknown command 'lst'.`, hint `did you mean list?`. */
const usageError = (err: CommanderError, command: Command): UsageError => {
  const [first = '', second = ''] = err.message.replace(/^error: /, '').split('\n');
  const message = `${first.charAt(0).toUpperCase()}${first.slice(1).replace(/\.?$/, '.')}`;
  const suggestion = /^\(Did you mean (.+)\?\)$/.exec(second)?.[1];
  return new UsageError(message, suggestion ? `did you mean ${suggestion}?` : `see ${commandPath(command)} --help`);
};

const commandPath = (c: Command): string => (c.parent ? `${commandPath(c.parent)} ${c.name()}` : c.name());
