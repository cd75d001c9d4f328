/**
 * Randomness and the town hall's calendar for the demo case history: a seeded generator
 * (mulberry32), Japan's dates as day numbers, and office hours (8:30–17:15 JST on weekdays
 * that are not holidays). Pure and deterministic.
 */
export class Random {
  private s: number;

  constructor(seed: number) {
    this.s = (Math.trunc(seed) ^ 0x2545f491) >>> 0;
    for (let i = 0; i < 8; i++) this.u32();
  }

  /** mulberry32 */
  u32(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  float(): number { return this.u32() / 4294967296; }
  int(lo: number, hi: number): number { return lo + Math.floor(this.float() * (hi - lo + 1)); }
  between(lo: number, hi: number): number { return lo + this.float() * (hi - lo); }
  chance(p: number): boolean { return this.float() < p; }
  /** Triangular distribution on [lo, hi], most likely at mode. */
  tri(lo: number, mode: number, hi: number): number {
    if (hi <= lo) return lo;
    const u = this.float();
    const f = (mode - lo) / (hi - lo);
    return u < f ? lo + Math.sqrt(u * (hi - lo) * (mode - lo)) : hi - Math.sqrt((1 - u) * (hi - lo) * (hi - mode));
  }
  pick<T>(xs: readonly T[]): T { return xs[Math.floor(this.float() * xs.length)]!; }
  /** An index drawn with the weights whose running sums are `cum`. */
  weighted(cum: readonly number[]): number {
    const x = this.float() * cum[cum.length - 1]!;
    let [lo, hi] = [0, cum.length - 1];
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid]! <= x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  /** A whole number near `x`: its floor, plus one with the chance of its fraction. */
  round(x: number): number { return Math.floor(x) + (this.chance(x - Math.floor(x)) ? 1 : 0); }
  /** 122 random bits laid out as a UUID v4. */
  uuid(): string {
    const h = (x: number) => x.toString(16).padStart(8, '0');
    const [a, b, c, d] = [h(this.u32()), h(this.u32()), h(this.u32()), h(this.u32())];
    const v = ((parseInt(c.slice(0, 1), 16) & 0x3) | 0x8).toString(16);
    return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${v}${c.slice(1, 4)}-${c.slice(4)}${d}`;
  }
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
const JST = 9 * HOUR;
export const OPENS = 8 * HOUR + 30 * MINUTE;
export const CLOSES = 17 * HOUR + 15 * MINUTE;

/** The day (days since 1970-01-01 in Japan) of a moment. */
export const dayOf = (ms: number): number => Math.floor((ms + JST) / DAY);
/** The moment a day begins in Japan. */
export const startOf = (day: number): number => day * DAY - JST;
/** A day as YYYY-MM-DD. */
export const dateOf = (day: number): string => new Date(day * DAY).toISOString().slice(0, 10);
/** A YYYY-MM-DD date as a day. */
export const dayOfDate = (date: string): number => Math.round(Date.parse(`${date}T00:00:00Z`) / DAY);
export const monthOf = (day: number): number => new Date(day * DAY).getUTCMonth() + 1;

/** Days the town hall is closed besides weekends: national holidays on fixed dates and the New Year break. */
const CLOSED = new Set(['01-01', '01-02', '01-03', '02-11', '02-23', '04-29', '05-03', '05-04', '05-05', '08-11', '11-03', '11-23', '12-29', '12-30', '12-31']);
const openCache = new Map<number, boolean>();

export function isOpenDay(day: number): boolean {
  let open = openCache.get(day);
  if (open === undefined) {
    const dow = (day + 4) % 7; // 1970-01-01 was a Thursday
    open = dow !== 0 && dow !== 6 && !CLOSED.has(dateOf(day).slice(5));
    openCache.set(day, open);
  }
  return open;
}

/** `ms` if the office is open then; otherwise a few minutes after it next opens. */
export function officeMoment(ms: number, rng: Random): number {
  let d = dayOf(ms);
  const off = ms - startOf(d);
  if (isOpenDay(d) && off >= OPENS && off <= CLOSES) return ms;
  if (!(isOpenDay(d) && off < OPENS)) {
    do d++;
    while (!isOpenDay(d));
  }
  return startOf(d) + OPENS + rng.int(0, 75) * MINUTE;
}

/** A moment on `day` when a resident might be online: mostly evenings. */
export const residentMoment = (day: number, rng: Random): number => startOf(day) + Math.floor(rng.tri(7, 20, 23.9) * HOUR);

/** A moment on an open `day` when someone is at the counter or the post is keyed in: mostly mornings. */
export const counterMoment = (day: number, rng: Random): number => startOf(day) + OPENS + Math.floor(rng.tri(0, 1.5, 8.6) * HOUR);
