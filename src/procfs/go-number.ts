/**
 * Numbers spelled the way node_exporter's Go code accepts them, for inputs whose syntax is
 * whatever strconv takes (udev property values, sysctl values, text-format samples). Each
 * returns undefined for text Go would reject, so callers decide what a bad value costs.
 */

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const HEX_FLOAT = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?\d+)$/;

/**
 * strconv.ParseFloat(text, 64): decimal, hexadecimal with a p exponent, "inf"/"infinity" with
 * an optional sign and "nan", case-insensitively. A finite literal beyond float64's range is
 * an error there (ErrRange), so undefined here. Underscores (only valid after a 0x prefix) are
 * not supported.
 */
export function parseGoFloat(text: string): number | undefined {
  if (/^[+-]?(inf|infinity)$/i.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  if (/^nan$/i.test(text)) return Number.NaN;
  let value: number;
  if (DECIMAL.test(text)) {
    value = Number(text);
  } else {
    const hex = HEX_FLOAT.exec(text);
    const [, sign = '', whole = '', fraction = '', exponent = '0'] = hex ?? [];
    if (hex === null || whole + fraction === '') return undefined;
    const mantissa = Number.parseInt(`${whole}${fraction}` || '0', 16) / 16 ** fraction.length;
    value = (sign === '-' ? -1 : 1) * mantissa * 2 ** Number(exponent);
  }
  return Number.isFinite(value) ? value : undefined;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * Digits of each base-0 form; "_" may only separate digits or follow the base prefix. Each
 * underscore starts its own group, so there is one way to match and no backtracking ((_?\d+)*
 * would try every split of a digit run: 2^n steps on "123…9x").
 */
const INT_FORMS: readonly { re: RegExp; prefix: string }[] = [
  { re: /^0[xX]_?[0-9a-fA-F]+(_[0-9a-fA-F]+)*$/, prefix: '' },
  { re: /^0[bB]_?[01]+(_[01]+)*$/, prefix: '' },
  { re: /^0[oO]_?[0-7]+(_[0-7]+)*$/, prefix: '' },
  { re: /^0(_?[0-7]+(_[0-7]+)*)?$/, prefix: '0o' }, // a leading 0 means octal, as in Go source
  { re: /^[1-9]\d*(_\d+)*$/, prefix: '' },
];

/**
 * The magnitude of an unsigned base-0 literal (no sign): decimal, 0x hex, 0b binary, 0o or
 * leading-0 octal, with Go's digit-separating underscores; undefined for anything else. No range
 * check: strconv.ParseInt and ParseUint each apply their own.
 */
export function parseGoUnsignedBig(text: string): bigint | undefined {
  const form = INT_FORMS.find((f) => f.re.test(text));
  if (form === undefined) return undefined;
  const digits = text.replaceAll('_', '');
  return BigInt(form.prefix === '' ? digits : `${form.prefix}${digits.slice(1) || '0'}`);
}

/**
 * What sysfs and procfs print almost always: a decimal of up to 15 digits (so below 2^53) with
 * no leading zero, or an unsigned 0x hex of up to 13 digits. Number() reads these exactly as
 * strconv does, without the BigInt and strings of the general path.
 */
const SMALL_DECIMAL = /^[+-]?(?:0|[1-9]\d{0,14})$/;
const SMALL_HEX = /^0[xX][0-9a-fA-F]{1,13}$/;

/**
 * strconv.ParseInt(text, 0, 64): an optional sign, then a base-0 literal (parseGoUnsignedBig);
 * out of int64 range is an error. Values beyond 2^53 come back rounded, as Go's float64(int) does.
 */
export function parseGoInt(text: string): number | undefined {
  // + 0: "-0" is 0 in Go, not JavaScript's -0.
  if (SMALL_DECIMAL.test(text) || SMALL_HEX.test(text)) return Number(text) + 0;
  return parseGoIntExact(text);
}

/** parseGoInt through BigInt for every input: the reference its fast path is tested against. */
export function parseGoIntExact(text: string): number | undefined {
  const negative = text.startsWith('-');
  const magnitude = parseGoUnsignedBig(text.startsWith('-') || text.startsWith('+') ? text.slice(1) : text);
  if (magnitude === undefined) return undefined;
  const value = negative ? -magnitude : magnitude;
  if (value < INT64_MIN || value > INT64_MAX) return undefined;
  return Number(value);
}

/**
 * strconv.FormatFloat(v, 'g', -1, 64), as Go's text exposition writes a histogram's le and a
 * summary's quantile label: shortest digits, exponent form below 1e-4 and from 1e+06 on
 * (1e+06, 1.234567e+06, 1.5e-05), "+Inf", "-Inf", "NaN".
 */
export function formatGoFloat(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  if (v === 0) return '0'; // Go's writer special-cases zero, so -0 too
  const [mantissa = '', exp = '0'] = v.toExponential().split('e');
  const e = Number(exp);
  // Shortest form: Go's %g cut-off is a precision of 6, so 1e+06 and up use the exponent.
  if (e < -4 || e >= 6) return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  return String(v);
}
