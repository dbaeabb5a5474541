// A composed YAML document -> plain JS value. The common case (mappings, sequences and scalars, no aliases, no
// merge keys) takes a fast path; anything else goes through the yaml package's own toJS with its alias limit.
import { isMap, isScalar, isSeq, type Document, type Node } from 'yaml';

class NeedsFullConversion extends Error {}

function plainKey(key: unknown): string {
  if (isScalar(key)) return key.value === null || key.value === undefined ? '' : String(key.value);
  throw new NeedsFullConversion();
}

function plain(node: unknown): unknown {
  if (node === null || node === undefined) return null;
  if (isScalar(node)) return node.value === undefined ? null : node.value;
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const pair of node.items) {
      const key = plainKey(pair.key);
      if (key === '<<') throw new NeedsFullConversion();
      const value = plain(pair.value);
      // `__proto__` must become an own property, never the object's prototype.
      if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      else out[key] = value;
    }
    return out;
  }
  if (isSeq(node)) {
    const out = new Array<unknown>(node.items.length);
    for (let i = 0; i < node.items.length; i++) out[i] = plain(node.items[i]);
    return out;
  }
  throw new NeedsFullConversion(); // aliases and anything unusual
}

/**
 * Converts a document's contents. Throws the yaml package's ReferenceError when aliases expand beyond
 * `maxAliasCount` (an alias bomb); callers turn that into a problem.
 */
export function documentToPlain(doc: Document.Parsed, maxAliasCount: number): unknown {
  try {
    return plain(doc.contents as Node | null);
  } catch (e) {
    if (!(e instanceof NeedsFullConversion)) throw e;
    return doc.toJS({ maxAliasCount });
  }
}
