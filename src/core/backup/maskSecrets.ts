// The masked view of a backup: every value under a Secret's top-level `data:` / `stringData:` replaced by a fixed
// mark, keys kept, everything else byte for byte. Works on the YAML the backup writes (block mappings, one
// document per object, `---` between them), so a backup of any size is masked in one pass without parsing it.

export const MASK = '<hidden>';

/** Top-level `key:` of a line (no indentation), or undefined. */
function topKey(line: string): string | undefined {
  const m = /^([A-Za-z][A-Za-z0-9_-]*):(?:\s|$)/.exec(line);
  return m?.[1];
}

function maskDocument(lines: string[]): string[] {
  if (!lines.some((l) => /^kind:\s*['"]?Secret['"]?\s*$/.test(l))) return lines;
  const out: string[] = [];
  let inData = false;
  let keyIndent = -1;
  for (const line of lines) {
    const key = topKey(line);
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
