/** Deterministic randomness and calendar arithmetic for the demo town generator. */
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const hex16 = (x: number): string => HEX[(x >>> 8) & 255]! + HEX[x & 255]!;

/** sfc32, seeded through splitmix32: small, fast, and good enough for fake people. */
export class Rng {
  private a = 0; private b = 0; private c = 0; private d = 0;

  constructor(seed: number) {
    let s = (Math.trunc(seed) >>> 0) ^ Math.imul(Math.trunc(seed / 2 ** 32) | 0, 0x85ebca6b);
    const split = (): number => {
      s = (s + 0x9e3779b9) | 0;
      let z = Math.imul(s ^ (s >>> 16), 0x21f0aaad);
      z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
      return (z ^ (z >>> 15)) | 0;
    };
    [this.a, this.b, this.c, this.d] = [split(), split(), split(), split()];
    for (let i = 0; i < 16; i++) this.u32();
  }

  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (((this.c << 21) | (this.c >>> 11)) + t) | 0;
    return t >>> 0;
  }
  float(): number { return this.u32() / 4294967296; }
  int(lo: number, hi: number): number { return lo + Math.floor(this.float() * (hi - lo + 1)); }
  chance(p: number): boolean { return this.float() < p; }
  /** Triangular distribution on [lo, hi], most likely at mode. */
  tri(lo: number, mode: number, hi: number): number {
    const u = this.float();
    const f = (mode - lo) / (hi - lo);
    return u < f ? lo + Math.sqrt(u * (hi - lo) * (mode - lo)) : hi - Math.sqrt((1 - u) * (hi - lo) * (hi - mode));
  }
  pick<T>(xs: readonly T[]): T { return xs[Math.floor(this.float() * xs.length)]!; }
  /** An index drawn with the weights whose running sums are `cum`. */
  weighted(cum: readonly number[]): number {
    const x = this.float() * cum[cum.length - 1]!;
    let i = 0;
    while (i < cum.length - 1 && cum[i]! <= x) i++;
    return i;
  }
  /** 122 random bits laid out as a UUID v4. */
  uuid(): string {
    const [a, b, c, d] = [this.u32(), this.u32(), this.u32(), this.u32()];
    return `${hex16(a >>> 16)}${hex16(a)}-${hex16(b >>> 16)}-${hex16((b & 0x0fff) | 0x4000)}-${hex16(((c >>> 16) & 0x3fff) | 0x8000)}-${hex16(c)}${hex16(d >>> 16)}${hex16(d)}`;
  }
}

export const cumulative = (weights: readonly number[]): number[] => {
  let sum = 0;
  return weights.map((w) => (sum += w));
};

// ---- calendar (days since 1970-01-01, proleptic Gregorian) ----------------------------------

export const YEAR = 365.2425;
const PAD2 = Array.from({ length: 32 }, (_, i) => String(i).padStart(2, '0'));

function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
}

export function civilFromDays(days: number): string {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const m = mp < 10 ? mp + 3 : mp - 9;
  return `${yoe + era * 400 + (m <= 2 ? 1 : 0)}-${PAD2[m]}-${PAD2[doy - Math.floor((153 * mp + 2) / 5) + 1]}`;
}

export function parseToday(today: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(today);
  const days = m ? daysFromCivil(Number(m[1]), Number(m[2]), Number(m[3])) : NaN;
  if (!m || civilFromDays(days) !== today) throw new RangeError(`generateTown: today must be a valid YYYY-MM-DD, got "${today}"`);
  return days;
}

// ---- the town ------------------------------------------------------------------------------
