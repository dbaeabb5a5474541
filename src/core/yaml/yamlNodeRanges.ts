// Finds the source offsets of a key path (['spec', 'source', 'repoURL'], ['spec', 'sources', 0]) in a composed
// YAML document. Offsets are relative to the text the document was parsed from.
import { isMap, isPair, isScalar, isSeq, type Node, type Pair } from 'yaml';

export interface NodeSpan {
  /** The value node (undefined for `key:` with no value). */
  value?: { start: number; end: number; block: boolean };
  /** The key node, when the last path step is a mapping key. */
  key?: { start: number; end: number };
}

function isBlockCollection(node: unknown): boolean {
  return (isMap(node) || isSeq(node)) && !(node as { flow?: boolean }).flow;
}

function keyMatches(key: unknown, step: string | number): boolean {
  if (isScalar(key)) return key.value === step || String(key.value) === String(step);
  return false;
}

function rangeOfNode(node: unknown): { start: number; end: number } | undefined {
  const r = (node as { range?: [number, number, number] } | null | undefined)?.range;
  return r ? { start: r[0], end: r[1] } : undefined;
}

/** Walks `path` from the document's root node; undefined when a step is missing. */
export function locatePath(root: unknown, path: ReadonlyArray<string | number>): NodeSpan | undefined {
  let node: unknown = root;
  let pair: Pair | undefined;
  for (const step of path) {
    pair = undefined;
    if (isMap(node)) {
      // The last matching key wins, as in the converted value.
      let found: Pair | undefined;
      for (const item of node.items) if (isPair(item) && keyMatches(item.key, step)) found = item;
      if (!found) return undefined;
      pair = found;
      node = found.value;
    } else if (isSeq(node) && typeof step === 'number') {
      if (step < 0 || step >= node.items.length) return undefined;
      node = node.items[step];
    } else {
      return undefined;
    }
  }
  const span: NodeSpan = {};
  const v = rangeOfNode(node as Node | null);
  if (v) span.value = { ...v, block: isBlockCollection(node) };
  if (pair) {
    const k = rangeOfNode(pair.key);
    if (k) span.key = k;
  }
  return span;
}
