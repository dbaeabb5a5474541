// Plain (unquoted) scalars that Argo CD's reader and this tool's read differently. Argo CD reads a backup with
// sigs.k8s.io/yaml, which resolves plain scalars as go-yaml v2 does (YAML 1.1: `yes`/`on` are booleans, `0755` is
// octal, `1_000` and `0b101` are integers: go-yaml strips `_` and parses with Go's strconv.ParseInt base 0); this tool reads YAML 1.2 (core schema), as the yaml package does. Such a
// scalar would be restored as another value than `argocd admin import` writes, so the restore refuses it (BK012).
// `argocd admin export` quotes every string that could be misread, so a real export never holds one.

const GO_TRUE = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON']);
const GO_FALSE = new Set(['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF']);
const YAML11_OCTAL = /^[-+]?0[0-7_]+$/;
const BINARY = /^[-+]?0b[01_]+$/;
const UNDERSCORE_NUMBER = /^[-+]?(?:0x[0-9a-fA-F_]+|[0-9][0-9_]*(?:\.[0-9_]*)?)$/;
const INTEGER = /^[-+]?[0-9]+$/;

/** Why Argo CD would read this plain scalar differently, or undefined when both read the same value. */
export function goYamlDivergence(raw: string): string | undefined {
  if (raw.length === 0 || raw.length > 40) return undefined;
  if (GO_TRUE.has(raw) || GO_FALSE.has(raw)) return `Argo CD's YAML reader (YAML 1.1) reads ${raw} as the boolean ${GO_TRUE.has(raw)}, this tool as the string "${raw}"`;
  const c = raw.charCodeAt(0);
  if (!(c === 43 || c === 45 || (c >= 48 && c <= 57))) return undefined; // + - 0-9
  if (YAML11_OCTAL.test(raw)) {
    const digits = raw.replace(/_/g, '');
    const octal = parseInt(digits, 8);
    const ours = INTEGER.test(raw) ? Number(raw) : undefined;
    if (octal !== ours) return `Argo CD's YAML reader (YAML 1.1) reads ${raw} as the octal number ${octal}, this tool as ${ours ?? `the string "${raw}"`}`;
    return undefined;
  }
  if (BINARY.test(raw)) return `Argo CD's YAML reader (YAML 1.1) reads ${raw} as a binary number, this tool as the string "${raw}"`;
  if (raw.includes('_') && UNDERSCORE_NUMBER.test(raw)) return `Argo CD's YAML reader (YAML 1.1) reads ${raw} as the number ${raw.replace(/_/g, '')}, this tool as the string "${raw}"`;
  if (INTEGER.test(raw) && !Number.isSafeInteger(Number(raw))) return `the integer ${raw} is beyond what this tool holds exactly (2^53): it would be restored as ${Number(raw)}`;
  return undefined;
}

export function quoteAdvice(raw: string): string {
  return `quote it ("${raw}") if a string is meant, or write the value plainly (true/false, a decimal number)`;
}
