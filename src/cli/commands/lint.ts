// gitops-dr lint: checks backup files before a restore (and in CI): gcc-style lines, or JSON; exit 1 on errors.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs, boolFlag, stringFlag, UsageError } from '../args';
import { EXIT, type CliCommand, type CliIO } from '../io';
import { parseNamespaceList } from '../../core/argo/namespaces';
import { lintBackupText, type LintFinding, type LintOptions } from '../../core/lint/lintBackup';
import { ruleCatalogue } from '../../core/lint/catalogue';
import { findingsToJson, formatFindingLine, summarizeFindings, type FileFindingsJson } from '../../core/lint/formatFindings';

/** Larger files are refused before reading: a backup of 5,000 Applications is ~20 MB. */
const MAX_FILE_BYTES = 512 * 1024 * 1024;

const USAGE = `usage: gitops-dr lint FILE... [-o text|json] [-n NS] [--application-namespaces G] [--ignore-suppressions]
       gitops-dr lint --rules
  Checks backup files (multi-document YAML or a JSON stream; "-" reads standard input) for what makes a restore go
  wrong: missing Argo CD ConfigMaps, Harness agent objects, duplicates, dangling references, syncs in flight, bad
  Secret data, YAML errors. Prints one line per finding: FILE:LINE:COL: SEVERITY CODE MESSAGE.
  -n, --namespace NS              the backup's Argo CD namespace (objects without metadata.namespace are in it)
  --application-namespaces G      comma-separated globs or /regex/ of enabled application namespaces
  --ignore-suppressions           report findings that "# gitops-dr-disable…" comments hide
  --rules                         list every rule code with its severity and meaning
  Suppress a finding with "# gitops-dr-disable-next-line CODE" on the line above it, or file-wide with
  "# gitops-dr-disable CODE".
  exit 0: no errors (warnings allowed); 1: errors found; 2: bad usage or an unreadable file`;

function readInput(file: string, io: CliIO): Promise<Buffer> {
  if (file === '-') {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      io.stdin.on('data', (c: Buffer | string) => chunks.push(typeof c === 'string' ? Buffer.from(c) : c));
      io.stdin.on('end', () => resolve(Buffer.concat(chunks)));
      io.stdin.on('error', reject);
    });
  }
  const full = path.resolve(io.cwd, file);
  const stat = fs.statSync(full);
  if (stat.isDirectory()) throw new Error('is a directory (give backup files)');
  if (stat.size > MAX_FILE_BYTES) throw new Error(`is ${Math.round(stat.size / 1024 / 1024)} MiB, larger than any backup (limit ${MAX_FILE_BYTES / 1024 / 1024} MiB)`);
  return fs.promises.readFile(full); // bytes: BK011 when they are not UTF-8
}

function reasonOf(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err?.code === 'ENOENT') return 'no such file';
  if (err?.code === 'EACCES') return 'permission denied';
  return err?.message ?? String(e);
}

export const lintCommand: CliCommand = {
  summary: 'check backup files for what makes a restore go wrong',
  usage: USAGE,
  async run(args: string[], io: CliIO): Promise<number> {
    const parsed = parseArgs(args, [
      { name: 'output', short: 'o', value: true },
      { name: 'namespace', short: 'n', value: true },
      { name: 'application-namespaces', value: true },
      { name: 'ignore-suppressions' },
      { name: 'rules' },
    ]);
    const format = stringFlag(parsed, 'output') ?? 'text';
    if (format !== 'text' && format !== 'json') throw new UsageError(`option -o must be text or json, got "${format}"`);
    if (boolFlag(parsed, 'rules')) {
      const rules = ruleCatalogue();
      if (format === 'json') io.stdout.write(`${JSON.stringify(rules, null, 2)}\n`);
      else for (const r of rules) io.stdout.write(`${r.code.padEnd(7)}${r.severity.padEnd(8)}${r.title}: ${r.description}\n`);
      return EXIT.ok;
    }
    if (parsed.positional.length === 0) throw new UsageError('give at least one backup file (or - for standard input)');

    const options: LintOptions = {};
    const ns = stringFlag(parsed, 'namespace');
    if (ns !== undefined) options.argoNamespace = ns;
    const appNs = stringFlag(parsed, 'application-namespaces');
    if (appNs !== undefined) options.enabledNamespaces = parseNamespaceList(appNs);
    if (boolFlag(parsed, 'ignore-suppressions')) options.suppressions = false;

    const all: LintFinding[] = [];
    const json: FileFindingsJson[] = [];
    let unreadable = 0;
    for (const file of parsed.positional) {
      const label = file === '-' ? '<stdin>' : file;
      let text: Buffer;
      try {
        text = await readInput(file, io);
      } catch (e) {
        io.stderr.write(`gitops-dr lint: cannot read ${label}: ${reasonOf(e)}\n`);
        unreadable++;
        continue;
      }
      const { findings } = lintBackupText(text, options);
      all.push(...findings);
      if (format === 'json') json.push(findingsToJson(label, findings));
      else for (const f of findings) io.stdout.write(`${formatFindingLine(label, f)}\n`);
    }
    if (format === 'json') io.stdout.write(`${JSON.stringify({ files: json }, null, 2)}\n`);
    else io.stderr.write(`${summarizeFindings(all, parsed.positional.length - unreadable)}\n`);
    if (unreadable > 0) return EXIT.usage;
    return all.some((f) => f.severity === 'error') ? EXIT.findings : EXIT.ok;
  },
};
