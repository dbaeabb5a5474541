// A small, strict argument parser: unknown flags are errors that name the flag.

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

export function parseArgs(args: readonly string[], specs: readonly FlagSpec[]): ParsedArgs {
  const flags: ParsedArgs['flags'] = {};
  const positional: string[] = [];
  const byName = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short!, s]));
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      positional.push(...args.slice(i + 1));
      break;
    }
    if (arg === '-' || !arg.startsWith('-')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const key = arg.startsWith('--') ? arg.slice(2, eq > 0 ? eq : undefined) : arg.slice(1, eq > 0 ? eq : undefined);
    const spec = arg.startsWith('--') ? byName.get(key) : byShort.get(key);
    if (!spec) throw new UsageError(`unknown option ${arg.split('=')[0]}`);
    let value: string | boolean = true;
    if (spec.value) {
      if (eq > 0) value = arg.slice(eq + 1);
      else {
        const next = args[i + 1];
        if (next === undefined || (next.startsWith('-') && next !== '-')) throw new UsageError(`option --${spec.name} needs a value`);
        value = next;
        i++;
      }
    } else if (eq > 0) throw new UsageError(`option --${spec.name} takes no value`);
    if (spec.repeat) {
      const list = (flags[spec.name] as string[] | undefined) ?? [];
      list.push(String(value));
      flags[spec.name] = list;
    } else flags[spec.name] = value;
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
