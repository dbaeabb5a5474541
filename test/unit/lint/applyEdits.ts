// Applies a quick fix's plain-data edits to a text, as VS Code would (non-overlapping, last first).
export function applyEdits(text: string, edits: ReadonlyArray<{ range: { startOffset: number; endOffset: number }; newText: string }>): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.range.startOffset - a.range.startOffset)) out = out.slice(0, e.range.startOffset) + e.newText + out.slice(e.range.endOffset);
  return out;
}
