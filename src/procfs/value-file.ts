import { ParseError } from './parse-error.js';

/**
 * A sysctl-style file holding one decimal number and a newline (/proc/sys/kernel/pid_max,
 * /sys/kernel/mm/ksm/run, ...). Surrounding whitespace is allowed, anything else is not.
 */
function singleField(text: string): string {
  const value = text.trim();
  if (value === '') throw new ParseError('file is empty, want one number');
  if (/\s/.test(value)) throw new ParseError('file holds more than one field, want one number', value, 1);
  return value;
}

/** One unsigned integer (what node_exporter's readUintFromFile accepts). */
export function parseUintValue(text: string): number {
  const value = singleField(text);
  if (!/^\d+$/.test(value)) throw new ParseError(`invalid unsigned integer ${JSON.stringify(value)}`, value, 1);
  return Number(value);
}

/** One signed integer, for the few files the kernel prints with %ld. */
export function parseIntValue(text: string): number {
  const value = singleField(text);
  if (!/^[+-]?\d+$/.test(value)) throw new ParseError(`invalid integer ${JSON.stringify(value)}`, value, 1);
  return Number(value);
}
