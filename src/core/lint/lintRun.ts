// One lint pass over a parsed backup: the objects with their identity worked out once, and the findings so far.
import type { KubeObject } from '../objects/kubeObject';
import type { BackupDocument, ParsedBackup, TextRange } from '../yaml/readBackup';
import { RULES, type RuleCode } from './catalogue';
import type { LintFinding, LintFix, LintOptions } from './findings';

export interface LintedObject {
  doc: BackupDocument;
  obj: KubeObject;
  kind: string;
  /** API group ('' for core), from apiVersion. */
  group: string;
  name: string;
  /** metadata.namespace as written (undefined: the Argo CD namespace). */
  namespace: string | undefined;
}

export class LintRun {
  readonly findings: LintFinding[] = [];
  readonly objects: LintedObject[] = [];

  constructor(
    readonly parsed: ParsedBackup,
    readonly options: LintOptions,
  ) {
    for (const doc of parsed.documents) {
      const obj = doc.object;
      if (!obj) continue;
      const kind = obj.kind;
      const name = obj.metadata?.name;
      const apiVersion = obj.apiVersion;
      // Documents the reader already rejected (no apiVersion, kind or name) get no rule findings on top.
      if (typeof apiVersion !== 'string' || apiVersion === '' || typeof kind !== 'string' || kind === '' || typeof name !== 'string' || name === '') continue;
      const ns = obj.metadata?.namespace;
      this.objects.push({
        doc,
        obj,
        kind,
        group: apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '',
        name,
        namespace: typeof ns === 'string' && ns !== '' ? ns : undefined,
      });
    }
  }

  /** Whether a finding with this code is wanted in this run; rules check it before working out a range. */
  wants(code: RuleCode): boolean {
    return !this.options.errorsOnly || RULES[code].severity === 'error';
  }

  add(code: RuleCode, message: string, range: TextRange, doc?: BackupDocument, fix?: LintFix): void {
    if (!this.wants(code)) return;
    const f: LintFinding = { code, severity: RULES[code].severity, message, range };
    if (doc) f.documentIndex = doc.index;
    if (fix) f.fix = fix;
    this.findings.push(f);
  }

  /** Where an object-level finding points: its metadata.name, else its kind, else its first line. */
  headRange(doc: BackupDocument): TextRange {
    return doc.rangeOf(['metadata', 'name']) ?? doc.rangeOf(['kind']) ?? this.firstLine(doc.range.startOffset);
  }

  rangeOfKind(doc: BackupDocument): TextRange {
    return doc.rangeOf(['kind']) ?? this.headRange(doc);
  }

  /** Where a file-level finding (a missing object) points: the first line of the first document. */
  fileRange(): TextRange {
    const first = this.parsed.documents[0];
    return this.firstLine(first ? first.range.startOffset : 0);
  }

  firstLine(offset: number): TextRange {
    const { text, lines } = this.parsed;
    const nl = text.indexOf('\n', offset);
    let end = nl < 0 ? text.length : nl;
    if (end > offset && text.charCodeAt(end - 1) === 13) end--;
    return lines.range(offset, end);
  }

  /** "the Argo CD namespace (argocd)" or "the Argo CD namespace". */
  argoNamespaceLabel(): string {
    return this.options.argoNamespace ? `the Argo CD namespace (${this.options.argoNamespace})` : 'the Argo CD namespace';
  }
}

export function describeObject(o: Pick<LintedObject, 'kind' | 'name' | 'namespace'>): string {
  return `${o.kind} ${o.name}${o.namespace ? ` in namespace ${o.namespace}` : ''}`;
}
