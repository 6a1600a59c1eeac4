const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number): string => String(n).padStart(2, '0');

let cachedSecond = Number.NaN;
let cached = '';

/**
 * A response's Date header (HTTP's IMF-fixdate, "Sat, 05 Dec 2026 11:33:00 GMT"), as Node.js
 * writes it (Date.prototype.toUTCString, once a second), but from the UTC fields alone: Node
 * 24's V8 also looks up the local time zone's name for it, which keeps ICU's time zone names
 * resident (0.5 MiB of the node binary). For years 1000 to 9999.
 */
export function httpDate(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== cachedSecond) {
    const d = new Date(second * 1000);
    const time = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
    cached = `${DAYS[d.getUTCDay()]}, ${two(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${time} GMT`;
    cachedSecond = second;
  }
  return cached;
}
