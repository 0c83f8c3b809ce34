import { parseArgs } from 'node:util';
import { UsageError } from '../engine/errors.js';

/**
 * A small command-line parser over node:util parseArgs. Both CLIs have a handful of flags, and
 * a full argument library costs more start-up time than the rest of `create` together.
 */
export interface Flag {
  /** Long name without dashes, e.g. `db`, `no-install`, `dry-run`. */
  name: string;
  short?: string;
  /** Placeholder for a flag that takes a value, e.g. `<sqlite|postgres>`; absent for a switch. */
  value?: string;
  description: string;
  /** A value flag that may be repeated; the values are collected in order. */
  multiple?: boolean;
}

export type Values = Record<string, string | string[] | boolean | undefined>;

/** Parses `argv`; any unknown flag, missing value or extra argument is a UsageError (exit 2). */
export const parseFlags = (
  argv: string[],
  flags: readonly Flag[],
  maxPositionals: number,
  help: string,
): { values: Values; positionals: string[] } => {
  const options = Object.fromEntries(
    flags.map((f) => [
      f.name,
      {
        type: f.value ? ('string' as const) : ('boolean' as const),
        ...(f.short ? { short: f.short } : {}),
        ...(f.multiple ? { multiple: true } : {}),
      },
    ]),
  );
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: true }) as typeof parsed;
  } catch (err) {
    const e = err as { code?: string; message: string };
    if (!e.code?.startsWith('ERR_PARSE_ARGS_')) throw err;
    const unknown = /^Unknown option '([^']+)'/.exec(e.message);
    const message = unknown ? `Unknown option ${unknown[1]}.` : `${e.message.replace(/\.$/, '')}.`;
    throw new UsageError(message, help);
  }
  if (parsed.positionals.length > maxPositionals) {
    throw new UsageError(`Too many arguments: ${parsed.positionals.slice(maxPositionals).join(' ')}.`, help);
  }
  return parsed;
};

/** `  --db <sqlite|postgres>   Database`, aligned. */
export const flagTable = (flags: readonly Flag[]): string => {
  const left = flags.map((f) => `${f.short ? `-${f.short}, ` : '    '}--${f.name}${f.value ? ` ${f.value}` : ''}`);
  const width = Math.max(...left.map((l) => l.length)) + 2;
  return flags.map((f, i) => `  ${(left[i] ?? '').padEnd(width)}${f.description}`).join('\n');
};
