// The masked view of a backup: every value under a Secret's top-level `data:` / `stringData:` replaced by a fixed
// mark, keys kept, everything else byte for byte. Works on the YAML the backup writes (block mappings, one
// document per object, `---` between them), so a backup of any size is masked in one pass without parsing it.
// A Secret written by `kubectl apply` also carries its whole content, values included, in kubectl's
// last-applied-configuration annotation (which the export keeps), so that value is masked too.

export const MASK = '<hidden>';

/** Top-level `key:` of a line (no indentation), or undefined. */
function topKey(line: string): string | undefined {
  const m = /^([A-Za-z][A-Za-z0-9_-]*):(?:\s|$)/.exec(line);
  return m?.[1];
}

const LAST_APPLIED_LINE = /^(\s+)(['"]?)kubectl\.kubernetes\.io\/last-applied-configuration\2:(?:\s|$)/;

function maskDocument(lines: string[]): string[] {
  if (!lines.some((l) => /^kind:\s*['"]?Secret['"]?\s*$/.test(l))) return lines;
  const out: string[] = [];
  let inData = false;
  let keyIndent = -1;
  let skipDeeperThan = -1; // inside the value of a masked annotation: drop its continuation lines
  for (const line of lines) {
    const key = topKey(line);
    if (skipDeeperThan >= 0) {
      if (key === undefined && (line.trim() === '' || line.length - line.trimStart().length > skipDeeperThan)) continue;
      skipDeeperThan = -1;
    }
    if (key === undefined && !inData) {
      const lastApplied = LAST_APPLIED_LINE.exec(line);
      if (lastApplied) {
        out.push(`${lastApplied[1]}kubectl.kubernetes.io/last-applied-configuration: ${MASK}`);
        skipDeeperThan = lastApplied[1]!.length;
        continue;
      }
    }
    if (key !== undefined) {
      inData = key === 'data' || key === 'stringData';
      keyIndent = -1;
      // `data: {a: b}` flow style on one line: keep only the key.
      out.push(inData && !/^[A-Za-z]+:\s*$/.test(line) && !/:\s*\{\s*\}\s*$/.test(line) ? `${key}: ${MASK}` : line);
      continue;
    }
    if (!inData) {
      out.push(line);
      continue;
    }
    const indent = line.length - line.trimStart().length;
    if (line.trim() === '') continue;
    if (keyIndent < 0) keyIndent = indent;
    if (indent > keyIndent) continue; // continuation of a block or folded value: dropped with its value
    const m = /^(\s*(?:"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^:#'"\s][^:]*?)):(?:\s|$)/.exec(line);
    out.push(m ? `${m[1]}: ${MASK}` : `${' '.repeat(indent)}${MASK}`);
  }
  return out;
}

/** The backup text with Secret values masked. */
export function maskSecretValues(text: string): string {
  const docs = text.split(/^---[ \t]*$/m);
  return docs.map((d) => maskDocument(d.split('\n')).join('\n')).join('---');
}
