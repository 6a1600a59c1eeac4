/**
 * One device's record in the udev database (/run/udev/data/b<major>:<minor>), as udevd writes
 * it: one "<letter>:<value>" line per item. E: device properties (KEY=value), S: device links
 * under /dev, G:/Q: tags, I: the usec the device was initialised at; W:, V: and others are
 * udevd bookkeeping.
 */
export interface UdevData {
  /** E: lines. A key given twice keeps the last value, as a map of properties would. */
  properties: Map<string, string>;
  /** S: lines, relative to /dev (e.g. "disk/by-id/wwn-0x5000c500a1b2c3d4"). */
  links: string[];
  /** G: and Q: lines, without duplicates. */
  tags: string[];
  /** I: the CLOCK_MONOTONIC usec at which udev first saw the device, when present and valid. */
  initializedUsec?: number;
}

/**
 * Parses a udev database file. Lines of kinds we don't know, an E: line without "=" and an
 * unparseable I: are skipped rather than errors: udevd's format grows new kinds over time, and
 * node_exporter reads only the E: lines and skips anything else, so one odd line must not
 * cost a disk its labels.
 */
export function parseUdevData(text: string): UdevData {
  const data: UdevData = { properties: new Map(), links: [], tags: [] };
  for (const raw of text.split('\n')) {
    // Line-based readers (Go's bufio.Scanner included) drop a CR before the LF.
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.length < 2 || line[1] !== ':') continue;
    const value = line.slice(2);
    switch (line[0]) {
      case 'E': {
        const eq = value.indexOf('=');
        if (eq > 0) data.properties.set(value.slice(0, eq), value.slice(eq + 1));
        break;
      }
      case 'S':
        if (value !== '') data.links.push(value);
        break;
      case 'G':
      case 'Q':
        if (value !== '' && !data.tags.includes(value)) data.tags.push(value);
        break;
      case 'I':
        if (/^\d+$/.test(value)) data.initializedUsec = Number(value);
        break;
      default:
        break;
    }
  }
  return data;
}
