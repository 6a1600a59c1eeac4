/**
 * /sys/class/dmi/id: one file per SMBIOS string. The files node_dmi_info reports and the label
 * each becomes (sys_vendor is reported as system_vendor; chassis_type, modalias and uevent are
 * not reported).
 */
export const DMI_LABELS: ReadonlyMap<string, string> = new Map([
  ['bios_date', 'bios_date'],
  ['bios_release', 'bios_release'],
  ['bios_vendor', 'bios_vendor'],
  ['bios_version', 'bios_version'],
  ['board_asset_tag', 'board_asset_tag'],
  ['board_name', 'board_name'],
  ['board_serial', 'board_serial'],
  ['board_vendor', 'board_vendor'],
  ['board_version', 'board_version'],
  ['chassis_asset_tag', 'chassis_asset_tag'],
  ['chassis_serial', 'chassis_serial'],
  ['chassis_vendor', 'chassis_vendor'],
  ['chassis_version', 'chassis_version'],
  ['product_family', 'product_family'],
  ['product_name', 'product_name'],
  ['product_serial', 'product_serial'],
  ['product_sku', 'product_sku'],
  ['product_uuid', 'product_uuid'],
  ['product_version', 'product_version'],
  ['sys_vendor', 'system_vendor'],
]);

/** Length of the valid UTF-8 sequence starting at `i` (as Go's utf8.DecodeRune judges), or 0. */
function sequenceLength(b: Uint8Array, i: number): number {
  const c = b[i] ?? 0;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => {
    const x = b[i + k];
    return x !== undefined && x >= lo && x <= hi;
  };
  if (c < 0x80) return 1;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if (c === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0; // no UTF-16 surrogates
  if (c >= 0xe1 && c <= 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (c === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (c >= 0xf1 && c <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (c === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

/**
 * Bytes as text, each run of invalid UTF-8 replaced by one U+FFFD: Go's strings.ToValidUTF8,
 * which node_exporter applies to DMI strings. (Decoding with Buffer#toString would replace
 * each invalid byte sequence separately, giving a different label value.)
 */
export function toValidUtf8(bytes: Uint8Array): string {
  const out: number[] = [];
  let invalid = false;
  for (let i = 0; i < bytes.length; ) {
    const n = sequenceLength(bytes, i);
    if (n === 0) {
      if (!invalid) out.push(0xef, 0xbf, 0xbd);
      invalid = true;
      i += 1;
    } else {
      for (let k = 0; k < n; k++) out.push(bytes[i + k] ?? 0);
      invalid = false;
      i += n;
    }
  }
  return Buffer.from(out).toString('utf8');
}

/** Unicode white space as Go's unicode.IsSpace has it (JS's trim() differs on U+0085, U+FEFF). */
const GO_SPACE = '[\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const GO_TRIM = new RegExp(`^${GO_SPACE}+|${GO_SPACE}+$`, 'gu');

/** A DMI file's content as a label value: surrounding white space trimmed, valid UTF-8. */
export function parseDmiValue(bytes: Uint8Array): string {
  return toValidUtf8(bytes).replace(GO_TRIM, '');
}

/**
 * The labels of node_dmi_info from the files that could be read (file name → content). Files
 * that are absent or unreadable (serials and the UUID are root-only) are simply not labels;
 * an empty file is a label with an empty value.
 */
export function dmiInfoLabels(files: ReadonlyMap<string, Uint8Array>): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [file, label] of DMI_LABELS) {
    const content = files.get(file);
    if (content !== undefined) labels[label] = parseDmiValue(content);
  }
  return labels;
}
