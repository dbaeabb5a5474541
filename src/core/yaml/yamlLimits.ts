// Checks one YAML document's CST (the yaml package's non-recursive parse) against size limits BEFORE the
// recursive composer and value conversion run, so hostile input is refused without overflowing the stack.
import type { CST } from 'yaml';

export interface ReadLimits {
  /** Longest scalar source accepted, in UTF-16 code units (~bytes for backups, which are ASCII/base64). */
  maxScalarBytes: number;
  /** Deepest nesting of collections accepted (the document's root mapping is level 1). */
  maxDepth: number;
  /** yaml's maxAliasCount: alias expansions allowed per document (0 refuses aliases). */
  maxAliases: number;
  maxDocuments: number;
}

/** etcd refuses requests over 1.5 MiB by default, so no object (and no scalar in one) can be larger. */
export const ETCD_MAX_REQUEST_BYTES = 1.5 * 1024 * 1024;

export const DEFAULT_READ_LIMITS: ReadLimits = {
  maxScalarBytes: ETCD_MAX_REQUEST_BYTES,
  maxDepth: 100,
  maxAliases: 100,
  maxDocuments: 100_000,
};

export interface CstLimitFinding {
  /** First collection that goes deeper than maxDepth. */
  tooDeepAt?: number;
  /** First scalar longer than maxScalarBytes. */
  hugeScalar?: { offset: number; length: number };
  /** First alias (`*name`) in the document, for the alias-expansion message. */
  firstAliasAt?: number;
}

/** Walks the CST iteratively (explicit stack) and reports the first violation of each kind. */
export function checkCstDocument(doc: CST.Document, limits: ReadLimits): CstLimitFinding {
  const found: CstLimitFinding = {};
  const tokens: Array<CST.Token | null | undefined> = [doc.value];
  const depths: number[] = [0];
  while (tokens.length > 0) {
    const token = tokens.pop();
    const depth = depths.pop()!;
    if (!token) continue;
    switch (token.type) {
      case 'block-map':
      case 'block-seq':
      case 'flow-collection': {
        const level = depth + 1;
        if (level > limits.maxDepth) {
          found.tooDeepAt ??= token.offset;
          // Deeper levels need no visit: the document is refused at its first too-deep collection.
          continue;
        }
        for (const item of token.items) {
          const it = item as CST.CollectionItem;
          if (it.key) {
            tokens.push(it.key);
            depths.push(level);
          }
          if (it.value) {
            tokens.push(it.value);
            depths.push(level);
          }
        }
        break;
      }
      case 'alias':
        if (found.firstAliasAt === undefined || token.offset < found.firstAliasAt) found.firstAliasAt = token.offset;
        break;
      case 'scalar':
      case 'single-quoted-scalar':
      case 'double-quoted-scalar':
      case 'block-scalar':
        if (token.source.length > limits.maxScalarBytes && (found.hugeScalar === undefined || token.offset < found.hugeScalar.offset)) {
          found.hugeScalar = { offset: token.offset, length: token.source.length };
        }
        break;
      default:
        break;
    }
  }
  return found;
}

/** "1.5 MiB", "50.0 MB"-style size for messages. */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1).replace(/\.0$/, '')} KiB`;
  return `${n} bytes`;
}
