// Backup bytes to text without a silent rewrite: Argo CD's Go YAML reader refuses bytes that are not UTF-8, and a
// lossy decode would restore U+FFFD in their place. The text is still decoded (lossily) so the linter can point at
// the first bad byte; the reader reports it as BK011.

export interface DecodedBytes {
  text: string;
  /** Where the first byte that is not UTF-8 is, as a UTF-16 offset into `text`, and how many such sequences. */
  invalid?: { offset: number; byteOffset: number; count: number };
}

const fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lossy = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/** Length of the valid UTF-8 sequence at i (1–4), or 0 when the bytes there are not UTF-8 (RFC 3629). */
function sequenceLength(b: Uint8Array, i: number): number {
  const c = b[i]!;
  if (c < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf): boolean => i + k < b.length && b[i + k]! >= lo && b[i + k]! <= hi;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if (c === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0; // no UTF-16 surrogates
  if (c >= 0xe1 && c <= 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (c === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (c >= 0xf1 && c <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (c === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

export function decodeBackupBytes(bytes: Uint8Array): DecodedBytes {
  try {
    return { text: fatal.decode(bytes) };
  } catch {
    // Not UTF-8: find the bad sequences (the fast decode above is the common case).
  }
  let first = -1;
  let count = 0;
  for (let i = 0; i < bytes.length; ) {
    const n = sequenceLength(bytes, i);
    if (n === 0) {
      if (first < 0) first = i;
      count++;
      i++;
      while (i < bytes.length && bytes[i]! >= 0x80 && bytes[i]! <= 0xbf) i++; // the rest of the broken sequence
    } else i += n;
  }
  const text = lossy.decode(bytes);
  // Everything before the first bad byte is valid, so its decoded length is the offset in `text`.
  const offset = fatal.decode(bytes.subarray(0, Math.max(first, 0))).length;
  return { text, invalid: { offset, byteOffset: Math.max(first, 0), count: Math.max(count, 1) } };
}
