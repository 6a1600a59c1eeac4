import { ParseError } from '../procfs/parse-error.js';

/**
 * /sys/devices/system/clocksource/clocksourceN/available_clocksource: the usable clocksource
 * names, space-separated, with a trailing space before the newline (e.g. "tsc hpet acpi_pm \n").
 * The current clocksource is always among them, so an empty list means we read the wrong file.
 */
export function parseAvailableClocksources(text: string): string[] {
  const names = text.split(/\s+/).filter((name) => name !== '');
  if (names.length === 0) throw new ParseError('available_clocksource lists no clocksource');
  return names;
}

/** .../clocksourceN/current_clocksource: the one clocksource timekeeping uses now, e.g. "tsc\n". */
export function parseCurrentClocksource(text: string): string {
  const line = text.trim();
  if (line === '' || /\s/.test(line)) {
    throw new ParseError('current_clocksource must hold exactly one name', line, 1);
  }
  return line;
}
