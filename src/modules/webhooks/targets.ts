/**
 * Where the hub may send webhooks. A receiver URL comes from a spoke, and the outcome of
 * each delivery (status, error class) flows back to it: without limits a spoke could make
 * the hub probe the town hall's internal network (SSRF, a blind port scan). Unless
 * `WEBHOOK_ALLOW_PRIVATE_TARGETS` is set (the default outside production), receivers must
 * be https and public: no `localhost` names, and no loopback, private, link-local,
 * unique-local, CGNAT, unspecified, multicast or reserved address — neither written into
 * the URL (refused when subscribing) nor resolved from its host name (refused before each
 * delivery; the connection then goes to exactly the addresses checked, so a second DNS
 * answer cannot swap in an internal one).
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIPv4, isIPv6 } from 'node:net';

export interface TargetPolicy {
  allowPrivateTargets: boolean;
}

/** Why an address is not a public unicast one, or undefined when it is. */
export type AddressClass =
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'cgnat'
  | 'link-local'
  | 'unique-local'
  | 'site-local'
  | 'multicast'
  | 'reserved'
  | 'not-an-ip';

type V4 = [number, number, number, number];

function parseV4(text: string): V4 | undefined {
  if (!isIPv4(text)) return undefined;
  const parts = text.split('.').map(Number);
  return parts.length === 4 ? (parts as V4) : undefined;
}

/** Eight 16-bit groups, or undefined. Accepts `::`, an embedded dotted IPv4 tail and a `%zone`. */
export function parseV6(text: string): number[] | undefined {
  const bare = text.replace(/%.*$/, '');
  if (!isIPv6(bare)) return undefined;
  let head = bare;
  const tail: number[] = [];
  const dotted = /:(\d+\.\d+\.\d+\.\d+)$/.exec(bare);
  if (dotted?.[1]) {
    const v4 = parseV4(dotted[1]);
    if (!v4) return undefined;
    tail.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
    head = bare.slice(0, dotted.index + 1);
    if (head.endsWith(':') && !head.endsWith('::')) head = head.slice(0, -1);
  }
  const groups = (s: string) => (s === '' ? [] : s.split(':').map((g) => parseInt(g, 16)));
  const [left = '', right] = head.split('::');
  const l = groups(left);
  const r = right === undefined ? [] : groups(right);
  const fill = 8 - tail.length - l.length - r.length;
  if (right === undefined ? fill !== 0 : fill < 0) return undefined;
  const all = [...l, ...Array<number>(right === undefined ? 0 : fill).fill(0), ...r, ...tail];
  return all.length === 8 && all.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? all : undefined;
}

function classifyV4([a, b]: V4): AddressClass | undefined {
  if (a === 0) return 'unspecified'; // 0.0.0.0/8 "this network": 0.0.0.0 reaches the local host
  if (a === 10) return 'private';
  if (a === 100 && b >= 64 && b <= 127) return 'cgnat'; // 100.64.0.0/10
  if (a === 127) return 'loopback';
  if (a === 169 && b === 254) return 'link-local'; // cloud metadata lives here
  if (a === 172 && b >= 16 && b <= 31) return 'private';
  if (a === 192 && b === 168) return 'private';
  if (a >= 224 && a <= 239) return 'multicast';
  if (a >= 240) return 'reserved'; // 240.0.0.0/4, with 255.255.255.255
  return undefined;
}

const v4Of = (hi: number, lo: number): V4 => [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff];

function classifyV6(g: number[]): AddressClass | undefined {
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g;
  const zeroTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeroTo(8)) return 'unspecified';
  if (zeroTo(7) && g7 === 1) return 'loopback';
  // IPv4 inside IPv6: mapped ::ffff:a.b.c.d, translated ::ffff:0:a.b.c.d, compatible ::a.b.c.d
  // (deprecated) and NAT64 64:ff9b::a.b.c.d all lead to the IPv4 address: judge that one.
  if (zeroTo(5) && g5 === 0xffff) return classifyV4(v4Of(g6, g7));
  if (zeroTo(4) && g4 === 0xffff && g5 === 0) return classifyV4(v4Of(g6, g7));
  if (zeroTo(6)) return classifyV4(v4Of(g6, g7)) ?? 'reserved';
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return classifyV4(v4Of(g6, g7));
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 1) return 'reserved'; // 64:ff9b:1::/48, local-use NAT64
  if (g0 === 0x2002) return classifyV4(v4Of(g1, g2)); // 6to4 names an IPv4 address too
  if ((g0 & 0xffc0) === 0xfe80) return 'link-local'; // fe80::/10
  if ((g0 & 0xffc0) === 0xfec0) return 'site-local'; // fec0::/10, deprecated
  if ((g0 & 0xfe00) === 0xfc00) return 'unique-local'; // fc00::/7
  if ((g0 & 0xff00) === 0xff00) return 'multicast';
  return undefined;
}

/**
 * Why the hub must not connect to `address` when private targets are not allowed, or
 * undefined for a public unicast address. Takes IPv4 dotted quads and IPv6 (with or without
 * brackets or a zone); anything else is 'not-an-ip'.
 */
export function classifyAddress(address: string): AddressClass | undefined {
  const text = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  const v4 = parseV4(text);
  if (v4) return classifyV4(v4);
  const v6 = parseV6(text);
  if (v6) return classifyV6(v6);
  return 'not-an-ip';
}

/** `localhost`, any `*.localhost` (RFC 6761), with or without the final dot. */
export function isLocalhostName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  return name === 'localhost' || name.endsWith('.localhost');
}

/** The URL's host without IPv6 brackets. */
const bareHost = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1');

const isIpLiteral = (host: string) => isIPv4(host) || parseV6(host) !== undefined;

/**
 * What is wrong with a receiver URL under `policy`, judged from the URL alone, or undefined.
 * (The WHATWG parser has already turned `0x7f.1`, `2130706433` and the like into dotted quads.)
 */
export function urlProblem(url: URL, policy: TargetPolicy): string | undefined {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must use http or https';
  if (policy.allowPrivateTargets) return undefined;
  if (url.protocol !== 'https:') return 'must use https';
  const host = bareHost(url);
  if (isLocalhostName(host)) return 'must not name localhost';
  if (isIpLiteral(host) && classifyAddress(host) !== undefined) {
    return 'must not be a loopback, private, link-local or otherwise non-public address';
  }
  return undefined;
}

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Resolves a host name to every address (what `node:dns/promises` lookup gives by default). */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = (hostname) => dnsLookup(hostname, { all: true });

export type TargetCheck =
  /** Connect to these addresses only (undefined: the host is an IP literal, connect to it). */
  | { ok: true; addresses: ResolvedAddress[] | undefined }
  | { ok: false; reason: 'target-not-allowed' };

/**
 * Decides, right before a delivery, where it may connect. Resolver errors propagate (the
 * caller names them as network failures) only where private targets are allowed. Every
 * resolved address must pass, not just one.
 */
export async function checkTarget(rawUrl: string, policy: TargetPolicy, resolve: Resolver = systemResolver): Promise<TargetCheck> {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return { ok: false, reason: 'target-not-allowed' };
  }
  if (urlProblem(url, policy) !== undefined) return { ok: false, reason: 'target-not-allowed' };
  const host = bareHost(url);
  if (isIpLiteral(host)) return { ok: true, addresses: undefined };
  let addresses: ResolvedAddress[];
  try {
    addresses = await resolve(host);
  } catch (err) {
    // Where private targets are refused, a name that does not resolve answers like one that
    // resolves inside the network: otherwise the error would map internal DNS names.
    if (!policy.allowPrivateTargets) return { ok: false, reason: 'target-not-allowed' };
    throw err;
  }
  if (addresses.length === 0) {
    if (!policy.allowPrivateTargets) return { ok: false, reason: 'target-not-allowed' };
    throw Object.assign(new Error('no address'), { code: 'ENOTFOUND' });
  }
  if (!policy.allowPrivateTargets && addresses.some((a) => classifyAddress(a.address) !== undefined)) {
    return { ok: false, reason: 'target-not-allowed' };
  }
  return { ok: true, addresses };
}
