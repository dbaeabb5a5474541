// The CLI's flags: specs per command, parsed by node:util parseArgs; unknown flags are errors that name the flag.
import { parseArgs as nodeParseArgs, type ParseArgsConfig } from 'node:util';

export interface FlagSpec {
  /** Long name without dashes, e.g. 'context'. */
  name: string;
  short?: string;
  /** Takes a value (`--context east`, `--context=east`); otherwise a boolean switch. */
  value?: boolean;
  /** May be given several times; values are collected. */
  repeat?: boolean;
}

export interface ParsedArgs {
  flags: Record<string, string | boolean | string[] | undefined>;
  positional: string[];
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * The command's flags, read by `node:util` parseArgs. It runs non-strict with tokens so that each refusal is ours and
 * names the flag as typed: an unknown flag, a value flag without a value (the next word is another flag), a switch
 * given a value.
 */
export function parseArgs(args: readonly string[], specs: readonly FlagSpec[]): ParsedArgs {
  const options: ParseArgsConfig['options'] = {};
  for (const s of specs) options[s.name] = { type: s.value ? 'string' : 'boolean', ...(s.short ? { short: s.short } : {}), ...(s.repeat ? { multiple: true } : {}) };
  const byName = new Map(specs.map((s) => [s.name, s]));
  const { tokens } = nodeParseArgs({ args: [...args], options, strict: false, allowPositionals: true, tokens: true });
  const flags: ParsedArgs['flags'] = {};
  const positional: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') positional.push(token.value);
    if (token.kind !== 'option') continue;
    const spec = byName.get(token.name);
    if (!spec) throw new UsageError(`unknown option ${token.rawName}`);
    let value: string | true = true;
    if (spec.value) {
      // A value that looks like a flag was meant as one (`--context --yes`); `-` alone is standard input.
      if (token.value === undefined || (!token.inlineValue && token.value.startsWith('-') && token.value !== '-')) throw new UsageError(`option --${spec.name} needs a value`);
      // `-o=json` is `-o json`, as `--output=json` is.
      value = token.inlineValue && !token.rawName.startsWith('--') ? token.value.replace(/^=/, '') : token.value;
    } else if (token.inlineValue) throw new UsageError(`option --${spec.name} takes no value`);
    if (spec.repeat) flags[spec.name] = [...((flags[spec.name] as string[] | undefined) ?? []), String(value)];
    else flags[spec.name] = value;
  }
  return { flags, positional };
}

export function stringFlag(parsed: ParsedArgs, name: string): string | undefined {
  const v = parsed.flags[name];
  return typeof v === 'string' ? v : undefined;
}

export function numberFlag(parsed: ParsedArgs, name: string): number | undefined {
  const v = stringFlag(parsed, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`option --${name} must be a positive number, got "${v}"`);
  return n;
}

export function boolFlag(parsed: ParsedArgs, name: string): boolean {
  return parsed.flags[name] === true;
}

/** A flag that must be one of `choices` (e.g. `-o table|json`); the fallback when absent. */
export function choiceFlag<T extends string>(parsed: ParsedArgs, name: string, choices: readonly T[], fallback: T): T {
  const v = stringFlag(parsed, name) ?? fallback;
  if (!(choices as readonly string[]).includes(v)) throw new UsageError(`--${name} must be ${choices.join(' or ')}, got "${v}"`);
  return v as T;
}
