import { ParseError } from '../procfs/parse-error.js';

/**
 * The XML-RPC subset a client needs: a methodCall to send, and a methodResponse (a value or a
 * fault) to read, with a small XML reader of its own (elements, text, the five named entities,
 * character references, CDATA, comments; no DTDs). Malformed input throws ParseError naming the
 * line.
 */
export type XmlRpcValue =
  | { kind: 'int'; value: number }
  | { kind: 'double'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'string'; value: string }
  | { kind: 'dateTime'; value: string }
  | { kind: 'base64'; value: string }
  | { kind: 'nil' }
  | { kind: 'array'; items: XmlRpcValue[] }
  | { kind: 'struct'; members: Map<string, XmlRpcValue> };

export type XmlRpcResponse = { kind: 'value'; value: XmlRpcValue } | { kind: 'fault'; code: number; message: string };

const ESCAPES: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' };
const escapeXml = (s: string): string => s.replace(/[<>&"']/g, (c) => ESCAPES[c] ?? c);

function valueXml(v: XmlRpcValue): string {
  switch (v.kind) {
    case 'int':
      return `<int>${v.value}</int>`;
    case 'double':
      return `<double>${v.value}</double>`;
    case 'boolean':
      return `<boolean>${v.value ? 1 : 0}</boolean>`;
    case 'string':
      return `<string>${escapeXml(v.value)}</string>`;
    case 'dateTime':
      return `<dateTime.iso8601>${escapeXml(v.value)}</dateTime.iso8601>`;
    case 'base64':
      return `<base64>${escapeXml(v.value)}</base64>`;
    case 'nil':
      return '<nil/>';
    case 'array':
      return `<array><data>${v.items.map((i) => `<value>${valueXml(i)}</value>`).join('')}</data></array>`;
    case 'struct':
      return `<struct>${[...v.members].map(([k, m]) => `<member><name>${escapeXml(k)}</name><value>${valueXml(m)}</value></member>`).join('')}</struct>`;
  }
}

/** The request body for `method(params...)`. */
export function buildMethodCall(method: string, params: readonly XmlRpcValue[] = []): string {
  const ps = params.map((p) => `<param><value>${valueXml(p)}</value></param>`).join('');
  return `<?xml version="1.0"?>\n<methodCall><methodName>${escapeXml(method)}</methodName><params>${ps}</params></methodCall>\n`;
}

export interface XmlElement {
  name: string;
  children: XmlElement[];
  /** The element's own character data, concatenated (text between child elements included). */
  text: string;
  /** Offset of the start tag, for error messages. */
  at: number;
}

/** A ParseError pointing at the line holding `offset`. */
function errorAt(text: string, offset: number, reason: string): ParseError {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  const end = text.indexOf('\n', offset);
  const lineNumber = text.slice(0, start).split('\n').length;
  return new ParseError(reason, text.slice(start, end < 0 ? undefined : end), lineNumber);
}

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(raw: string, text: string, at: number): string {
  return raw.replace(/&([^;&\s]*);?/g, (whole, ref: string) => {
    if (!whole.endsWith(';')) throw errorAt(text, at, `unterminated entity reference ${JSON.stringify(whole)}`);
    const named = NAMED[ref];
    if (named !== undefined) return named;
    const m = /^#(?:x([0-9a-fA-F]+)|([0-9]+))$/.exec(ref);
    const code = m === null ? NaN : m[1] !== undefined ? parseInt(m[1], 16) : Number(m[2]);
    if (!Number.isInteger(code) || code > 0x10ffff) throw errorAt(text, at, `unknown entity &${ref};`);
    return String.fromCodePoint(code);
  });
}

// Sticky: each matches right at lastIndex, without copying the rest of the text.
const END_TAG = /<\/([^\s>/]+)\s*>/y;
const START_TAG = /<([^\s>/="']+)((?:\s+[^\s>/="']+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/y;

/** Reads a whole XML document into its root element. */
export function parseXml(text: string): XmlElement {
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let i = text.startsWith('\uFEFF') ? 1 : 0;
  const addText = (s: string, at: number): void => {
    const top = stack[stack.length - 1];
    if (top !== undefined) top.text += s;
    else if (s.trim() !== '') throw errorAt(text, at, 'text outside the root element');
  };
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    if (lt < 0) {
      addText(decodeEntities(text.slice(i), text, i), i);
      break;
    }
    if (lt > i) addText(decodeEntities(text.slice(i, lt), text, i), i);
    const skipTo = (close: string, what: string): number => {
      const end = text.indexOf(close, lt);
      if (end < 0) throw errorAt(text, lt, `unterminated ${what}`);
      return end + close.length;
    };
    if (text.startsWith('<?', lt)) {
      i = skipTo('?>', 'processing instruction');
    } else if (text.startsWith('<!--', lt)) {
      i = skipTo('-->', 'comment');
    } else if (text.startsWith('<![CDATA[', lt)) {
      i = skipTo(']]>', 'CDATA section');
      addText(text.slice(lt + 9, i - 3), lt);
    } else if (text.startsWith('<!', lt)) {
      throw errorAt(text, lt, 'document type declarations are not accepted');
    } else if (text.startsWith('</', lt)) {
      END_TAG.lastIndex = lt;
      const m = END_TAG.exec(text);
      if (m === null) throw errorAt(text, lt, 'malformed end tag');
      const open = stack.pop();
      if (open === undefined || open.name !== m[1]) {
        throw errorAt(text, lt, `end tag </${m[1]}> does not match ${open === undefined ? 'any open element' : `<${open.name}>`}`);
      }
      i = lt + m[0].length;
    } else {
      // Attributes are skipped (XML-RPC has none), but must be well quoted.
      START_TAG.lastIndex = lt;
      const m = START_TAG.exec(text);
      if (m === null || m[1] === undefined) throw errorAt(text, lt, 'malformed start tag');
      if (root !== undefined && stack.length === 0) throw errorAt(text, lt, 'more than one root element');
      const el: XmlElement = { name: m[1], children: [], text: '', at: lt };
      stack[stack.length - 1]?.children.push(el);
      root ??= el;
      if (m[3] !== '/') stack.push(el);
      i = lt + m[0].length;
    }
  }
  const open = stack[stack.length - 1];
  if (open !== undefined) throw errorAt(text, open.at, `<${open.name}> is never closed`);
  if (root === undefined) throw new ParseError('no XML element in the response');
  return root;
}

/** The one child element an XML-RPC element must have. */
function only(text: string, el: XmlElement, name?: string): XmlElement {
  const [child, extra] = el.children;
  if (child === undefined || extra !== undefined || (name !== undefined && child.name !== name)) {
    throw errorAt(text, el.at, `<${el.name}> must hold exactly one ${name === undefined ? 'element' : `<${name}>`}`);
  }
  return child;
}

function decodeValue(text: string, valueEl: XmlElement): XmlRpcValue {
  // A <value> with no type element is a string (the XML-RPC spec's default).
  if (valueEl.children.length === 0) return { kind: 'string', value: valueEl.text };
  const el = only(text, valueEl);
  const body = el.text.trim();
  switch (el.name) {
    case 'int':
    case 'i1':
    case 'i2':
    case 'i4':
    case 'i8':
      if (!/^[+-]?\d+$/.test(body)) throw errorAt(text, el.at, `invalid <${el.name}> ${JSON.stringify(body)}`);
      return { kind: 'int', value: Number(body) };
    case 'double':
      if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(body)) throw errorAt(text, el.at, `invalid <double> ${JSON.stringify(body)}`);
      return { kind: 'double', value: Number(body) };
    case 'boolean':
      if (body === '1' || body === 'true') return { kind: 'boolean', value: true };
      if (body === '0' || body === 'false') return { kind: 'boolean', value: false };
      throw errorAt(text, el.at, `invalid <boolean> ${JSON.stringify(body)}`);
    case 'string':
      return { kind: 'string', value: el.text };
    case 'dateTime.iso8601':
      return { kind: 'dateTime', value: body };
    case 'base64':
      return { kind: 'base64', value: body };
    case 'nil':
      return { kind: 'nil' };
    case 'array': {
      const data = only(text, el, 'data');
      return {
        kind: 'array',
        items: data.children.map((v) => {
          if (v.name !== 'value') throw errorAt(text, v.at, `<data> holds <${v.name}>, want <value>`);
          return decodeValue(text, v);
        }),
      };
    }
    case 'struct': {
      const members = new Map<string, XmlRpcValue>();
      for (const m of el.children) {
        const [name, value, extra] = m.children;
        if (m.name !== 'member' || name?.name !== 'name' || value?.name !== 'value' || extra !== undefined) {
          throw errorAt(text, m.at, 'a struct member must be <member><name/><value/></member>');
        }
        members.set(name.text, decodeValue(text, value));
      }
      return { kind: 'struct', members };
    }
    default:
      throw errorAt(text, el.at, `unknown XML-RPC type <${el.name}>`);
  }
}

/** Reads a methodResponse: its one return value, or the fault it carries. */
export function parseMethodResponse(text: string): XmlRpcResponse {
  const root = parseXml(text);
  if (root.name !== 'methodResponse') throw errorAt(text, root.at, `root element is <${root.name}>, want <methodResponse>`);
  const body = only(text, root);
  if (body.name === 'fault') {
    const fault = decodeValue(text, only(text, body, 'value'));
    const code = fault.kind === 'struct' ? fault.members.get('faultCode') : undefined;
    const message = fault.kind === 'struct' ? fault.members.get('faultString') : undefined;
    if (code?.kind !== 'int' || message?.kind !== 'string') throw errorAt(text, body.at, 'a fault must be a struct of faultCode (int) and faultString (string)');
    return { kind: 'fault', code: code.value, message: message.value };
  }
  if (body.name !== 'params') throw errorAt(text, body.at, `<methodResponse> holds <${body.name}>, want <params> or <fault>`);
  const param = only(text, body, 'param');
  return { kind: 'value', value: decodeValue(text, only(text, param, 'value')) };
}
