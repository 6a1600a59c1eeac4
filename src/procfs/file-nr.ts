import { ParseError, parseUint } from './parse-error.js';

/** /proc/sys/fs/file-nr: file handles allocated, and the system-wide maximum (fs.file-max). */
export interface FileNr {
  allocated: number;
  maximum: number;
}

/**
 * One line of three tab-separated numbers: allocated, free (always 0 since Linux 2.6, so
 * ignored) and maximum. Extra trailing fields are tolerated as node_exporter tolerates them.
 */
export function parseFileNr(text: string): FileNr {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const line = lines[0];
  if (line === undefined) throw new ParseError('file-nr is empty');
  if (lines.length > 1) throw new ParseError(`file-nr has ${lines.length} lines, want 1`, lines[1], 2);
  const fields = line.trim().split(/\s+/);
  if (fields.length < 3) throw new ParseError(`file-nr has ${fields.length} fields, want 3`, line, 1);
  return {
    allocated: parseUint(fields[0], 'allocated file handles', line, 1),
    maximum: parseUint(fields[2], 'maximum file handles', line, 1),
  };
}
