/**
 * The one error type for malformed kernel text. It names the file (when the caller knows it),
 * the 1-based line number and the offending line, so a log line points straight at the input.
 */
export class ParseError extends Error {
  override readonly name = 'ParseError';
  constructor(
    readonly reason: string,
    readonly line?: string,
    readonly lineNumber?: number,
    readonly file?: string,
  ) {
    super(ParseError.format(reason, line, lineNumber, file));
  }

  /** The same error, now naming the file it came from. */
  withFile(file: string): ParseError {
    return new ParseError(this.reason, this.line, this.lineNumber, file);
  }

  private static format(reason: string, line?: string, lineNumber?: number, file?: string): string {
    const where = file === undefined ? '' : lineNumber === undefined ? `${file}: ` : `${file}:${lineNumber}: `;
    const quoted = line === undefined ? '' : ` in line ${JSON.stringify(line.length > 200 ? `${line.slice(0, 200)}…` : line)}`;
    return `${where}${reason}${quoted}`;
  }
}

/** Parses a base-10 unsigned integer field; throws ParseError naming the field. */
/** Whether a field is an unsigned decimal integer (what parseUint accepts): a caller's fast path. */
export function isUintText(text: string): boolean {
  return UINT_TEXT.test(text);
}

const UINT_TEXT = /^\d+$/;

export function parseUint(text: string | undefined, what: string, line?: string, lineNumber?: number): number {
  if (text === undefined || !UINT_TEXT.test(text)) {
    throw new ParseError(`invalid ${what} ${JSON.stringify(text ?? '')}`, line, lineNumber);
  }
  return Number(text);
}

/** Parses a decimal float field (as strconv.ParseFloat would accept it); throws ParseError. */
export function parseFloatField(text: string | undefined, what: string, line?: string, lineNumber?: number): number {
  if (text === undefined || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) {
    throw new ParseError(`invalid ${what} ${JSON.stringify(text ?? '')}`, line, lineNumber);
  }
  return Number(text);
}
