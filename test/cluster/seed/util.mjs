// Small deterministic helpers of the seeder.

export const NOW = '2026-01-15T10:00:00Z';
export const b64 = (s) => Buffer.from(String(s), 'utf8').toString('base64');
export const pad = (n, w) => String(n).padStart(w, '0');
/** A stable fake git SHA derived from a string. */
export function sha(s) {
  let h1 = 0x811c9dc5, out = '';
  for (let round = 0; out.length < 40; round++) {
    for (const c of `${s}#${round}`) h1 = Math.imul(h1 ^ c.charCodeAt(0), 0x01000193) >>> 0;
    out += h1.toString(16).padStart(8, '0');
  }
  return out.slice(0, 40);
}

