// Host Name syntax: an RFC 1123 host name, a dotted-quad IPv4 address, or an IPv6 address.
// IPv6 may be typed with or without brackets ("[::1]" is what people copy from URLs); the
// normalised value is stored without brackets because that is what net.connect expects.
import { hasInvisibleOrControlChars } from './text';

export type HostKind = 'hostname' | 'ipv4' | 'ipv6';

export type HostCheck =
  | { ok: true; kind: HostKind; normalized: string }
  | { ok: false; message: string };

const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const DOTTED_DIGITS = /^[0-9.]+$/;
const HEX_GROUP = /^[0-9A-Fa-f]{1,4}$/;
const ZONE_ID = /^[A-Za-z0-9_.-]{1,64}$/;

/** Lower-cases the hex digits of an IPv6 address but not its zone (interface names are case-sensitive). */
function normalizeIpv6(text: string): string {
  const [address = '', zone] = text.split('%');
  return zone === undefined ? address.toLowerCase() : `${address.toLowerCase()}%${zone}`;
}

export function isIpv4(text: string): boolean {
  const parts = text.split('.');
  if (parts.length !== 4) return false;
  return parts.every((p) => /^(0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255);
}

export function isIpv6(text: string): boolean {
  const [address, zone, ...rest] = text.split('%');
  if (rest.length > 0 || address === undefined) return false;
  if (zone !== undefined && !ZONE_ID.test(zone)) return false;
  const halves = address.split('::');
  if (halves.length > 2) return false;
  const groupsOf = (half: string): string[] | null => (half === '' ? [] : half.split(':'));
  const head = groupsOf(halves[0] ?? '');
  const tail = halves.length === 2 ? groupsOf(halves[1] ?? '') : [];
  if (head === null || tail === null) return false;
  const all = [...head, ...tail];
  let groupCount = all.length;
  // An embedded IPv4 address (::ffff:192.0.2.1) may end the address, and only end it ("1.2.3.4::"
  // does not), and counts as two groups.
  const lastInText = halves.length === 2 ? tail[tail.length - 1] : head[head.length - 1];
  if (lastInText !== undefined && lastInText.includes('.')) {
    if (!isIpv4(lastInText)) return false;
    all.pop();
    groupCount += 1;
  }
  if (!all.every((g) => HEX_GROUP.test(g))) return false;
  return halves.length === 2 ? groupCount <= 7 : groupCount === 8;
}

/** The first invisible or control character of text, as U+XXXX, and its position in characters (from 1). */
function invisibleOrControlChar(text: string): { codePoint: string; position: number } | null {
  const characters = [...text];
  const index = characters.findIndex(hasInvisibleOrControlChars);
  if (index < 0) return null;
  const codePoint = characters[index]!.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
  return { codePoint: `U+${codePoint}`, position: index + 1 };
}

/** The ASCII (IDNA, "xn--") form of an internationalized host name, as URL parsing gives it; null when it has none. */
function asciiFormOf(name: string): string | null {
  // Letters, marks, digits, hyphens and dots only: anything else (a path, "user@", "%2e") would make URL
  // parsing suggest another host than the one typed.
  if (!/^[\p{L}\p{M}\p{N}.-]+$/u.test(name)) return null;
  try {
    const ascii = new URL(`http://${name}/`).hostname;
    return ascii.split('.').every((label) => LABEL.test(label)) ? ascii : null;
  } catch {
    return null;
  }
}

/** A host name made of numbers only (decimal or 0x hex parts): resolvers read "0x7f000001" or "0x7f.1" as an IPv4 address. */
const NUMERIC_PARTS = /^(?:0x[0-9a-f]*|[0-9]+)(?:\.(?:0x[0-9a-f]*|[0-9]+))*\.?$/i;

/** The checked host, refused when it is the unspecified address, which connects to this machine, not a key server. */
export function checkHostName(raw: string): HostCheck {
  const check = checkHostSyntax(raw);
  if (check.ok && (check.normalized === '0.0.0.0' || /^[0:]+$/.test(check.normalized.split('%')[0] ?? ''))) {
    return { ok: false, message: `Host Name "${raw.trim()}" is the unspecified address ("any"), which connects to this machine: enter the key server's address.` };
  }
  return check;
}

function checkHostSyntax(raw: string): HostCheck {
  const text = raw.trim();
  if (text === '') return { ok: false, message: 'Host Name is required: enter the EKS host name or IP address.' };
  // Before any message quotes the text: a direction override in a quote makes the message read mirrored.
  const hidden = invisibleOrControlChar(text);
  if (hidden) {
    return {
      ok: false,
      message: `Host Name must not contain control characters, direction overrides or zero-width characters; it has ${hidden.codePoint} at character ${hidden.position}: retype the host name.`,
    };
  }
  if (/\s/.test(text)) return { ok: false, message: 'Host Name must not contain spaces.' };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    return {
      ok: false,
      message: 'Host Name must be a host only, without "https://" or a path: e.g. "kms.example.com". Put the port in the Port field.',
    };
  }
  const bracketedWithPort = /^\[([^\]]+)\]:(\d+)$/.exec(text);
  if (bracketedWithPort && isIpv6(bracketedWithPort[1]!)) {
    return { ok: false, message: `Host Name must not include a port: enter "[${bracketedWithPort[1]}]" here and ${bracketedWithPort[2]} in the Port field.` };
  }
  if (text.startsWith('[') || text.endsWith(']')) {
    const inner = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : null;
    if (inner !== null && isIpv6(inner)) return { ok: true, kind: 'ipv6', normalized: normalizeIpv6(inner) };
    return { ok: false, message: `Host Name "${text}" is not a valid bracketed IPv6 address: use the form [2001:db8::10] or 2001:db8::10.` };
  }
  if (text.includes(':')) {
    if (isIpv6(text)) return { ok: true, kind: 'ipv6', normalized: normalizeIpv6(text) };
    const hostPort = /^([^:]+):(\d+)$/.exec(text);
    if (hostPort) {
      return { ok: false, message: `Host Name must not include a port: enter "${hostPort[1]}" here and ${hostPort[2]} in the Port field.` };
    }
    return { ok: false, message: `Host Name "${text}" is not a valid IPv6 address (8 groups of 1–4 hex digits, "::" at most once).` };
  }
  if (DOTTED_DIGITS.test(text) || NUMERIC_PARTS.test(text)) {
    if (isIpv4(text)) return { ok: true, kind: 'ipv4', normalized: text };
    return {
      ok: false,
      message: `Host Name "${text}" is not a valid IPv4 address: use four numbers 0–255 separated by dots, without leading zeros (e.g. 192.0.2.10).`,
    };
  }
  const name = text.endsWith('.') ? text.slice(0, -1) : text;
  if (name.length > 253) return { ok: false, message: 'Host Name must be at most 253 characters long.' };
  const labels = name.split('.');
  const bad = labels.find((label) => !LABEL.test(label));
  if (bad !== undefined) {
    if (bad === '') return { ok: false, message: `Host Name "${text}" has an empty part between dots: remove the extra dot.` };
    if (bad.length > 63) return { ok: false, message: `Host Name part "${bad.slice(0, 20)}…" is longer than 63 characters: each part between dots may have at most 63.` };
    if (bad.includes('_')) {
      return { ok: false, message: `Host Name "${text}" contains "_": host names may use only letters, digits and hyphens (RFC 1123).` };
    }
    const ascii = /[^ -~]/.test(bad) ? asciiFormOf(name) : null;
    if (ascii) return { ok: false, message: `Host Name "${text}" has characters outside ASCII: enter its ASCII form, "${ascii}".` };
    return {
      ok: false,
      message: `Host Name part "${bad}" is not valid: use letters, digits and hyphens, not starting or ending with a hyphen (RFC 1123).`,
    };
  }
  return { ok: true, kind: 'hostname', normalized: name.toLowerCase() };
}
