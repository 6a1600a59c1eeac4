import { ParseError } from './parse-error.js';

const AT_NULL = 0;
const AT_PAGESZ = 6;

/**
 * The page size the kernel handed this process, from its ELF auxiliary vector
 * (/proc/self/auxv: pairs of native words, type then value, ending at AT_NULL). This is where
 * Go's os.Getpagesize() gets it too; Node has no API for it.
 */
export function parseAuxvPageSize(buf: Uint8Array, wordBytes: 4 | 8, littleEndian: boolean): number {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const word = (at: number): number => (wordBytes === 8 ? Number(view.getBigUint64(at, littleEndian)) : view.getUint32(at, littleEndian));
  for (let at = 0; at + 2 * wordBytes <= buf.byteLength; at += 2 * wordBytes) {
    const type = word(at);
    if (type === AT_NULL) break;
    if (type === AT_PAGESZ) {
      const size = word(at + wordBytes);
      if (size <= 0 || (size & (size - 1)) !== 0) throw new ParseError(`AT_PAGESZ ${size} is not a power of two`);
      return size;
    }
  }
  throw new ParseError('auxv has no AT_PAGESZ entry');
}
