/**
 * 照合キー (matchKey): the normalised form of a registered name, used only to find candidates.
 * It is derived, never shown and never written back: the registered glyph (髙, 﨑, 邊 …) stays
 * the record of truth, and a person always confirms a match by looking at the original.
 *
 * Pure functions; they never modify their input and are idempotent: key(key(x)) === key(x).
 */

/**
 * Variant kanji folded to one common form, as `from` + `to` pairs.
 *
 * The principle: fold two characters only when they are the SAME character (one 字種) written
 * in a different glyph — an 旧字体 and its 新字体 as the 常用漢字表 pairs them (國 → 国,
 * 澤 → 沢, 龍 → 竜, 曾 → 曽), or a 俗字 / 異体字 that registries record for the same character
 * (髙 → 高, 﨑 → 崎, 邊・邉 → 辺, 𠮷 → 吉, 𡈽 → 土, 桒 → 桑, 籔 → 薮). The target is the form of the
 * 常用漢字表, else the main form of the 人名用漢字表, else the JIS level-1 form (so 篭 → 籠,
 * 桧 → 檜, 槗 → 橋).
 *
 * NOT folded: different characters that merely share a reading or a shape, even where a
 * 新字体 merged them — 斎 (齋) and 斉 (齊) are two characters, so 斎藤 and 斉藤 keep different
 * name keys (their kana keys agree); 辯・辨・瓣 → 弁, 藝 → 芸, 豫 → 予 are merges of distinct
 * characters and stay apart; 崎 and 埼 are different characters. Repetition marks (佐々木)
 * and kana in names are kept as written. A target is never also a source (idempotence).
 */
const VARIANT_PAIRS = `
髙高 﨑崎 嵜崎 邊辺 邉辺 𠮷吉 𡈽土 濵浜 冨富 嶋島 嶌島 栁柳 舘館 槗橋 𣘺橋 藪薮 籔薮 篭籠
桧檜 渕淵 祢禰 峯峰 邨村 圀国 桒桑 兒児 遙遥
齋斎 齊斉 澤沢 濱浜 廣広 德徳 櫻桜 國国 眞真 惠恵 龍竜 曾曽 嶽岳 淺浅 榮栄 圓円 應応
學学 樂楽 氣気 龜亀 曉暁 勳勲 縣県 顯顕 權権 恆恒 黃黄 實実 壽寿 從従 將将 條条 乘乗
淨浄 穗穂 瀨瀬 聲声 專専 莊荘 總総 藏蔵 團団 傳伝 稻稲 獨独 拜拝 佛仏 豐豊 萬万 滿満
彌弥 與与 來来 禮礼 靈霊 增増 寶宝 寳宝 澁渋 關関 鐵鉄 黑黒 靜静 淸清 緖緒 戶戸 內内
吳呉 驛駅 繩縄 巖巌 堯尭 晉晋 檢検 聰聡 彥彦 亞亜 峽峡
`;

function parsePairs(text: string): ReadonlyMap<string, string> {
  const map = new Map<string, string>();
  for (const pair of text.trim().split(/\s+/)) {
    const [from, to, extra] = Array.from(pair);
    if (from === undefined || to === undefined || extra !== undefined || map.has(from)) {
      throw new Error(`matchkey: bad variant pair "${pair}"`);
    }
    map.set(from, to);
  }
  return map;
}

/** The variant table as data: registered character → the character the key uses. */
export const VARIANT_FOLDS: ReadonlyMap<string, string> = parsePairs(VARIANT_PAIRS);

// Whitespace (incl. U+3000 after NFKC), zero-width characters, and variation selectors
// (IVS such as 葛󠄀 pick a glyph, not a character).
// eslint-disable-next-line no-misleading-character-class -- the class lists marks on purpose, one by one
const INVISIBLE = /[\s\u200B-\u200D\u2060\uFEFF\uFE00-\uFE0F\u{E0100}-\u{E01EF}]/gu;

/** NFKC and strip invisibles until stable (a removed space can let a combining mark compose). */
function clean(s: string): string {
  let cur = s;
  for (let i = 0; i < 4; i++) {
    const next = cur.normalize('NFKC').replace(INVISIBLE, '');
    if (next === cur) break;
    cur = next;
  }
  return cur;
}

function foldVariants(s: string): string {
  let out = '';
  for (const ch of s) out += VARIANT_FOLDS.get(ch) ?? ch;
  return out;
}

/** The name key: NFKC, no whitespace, variant kanji folded — e.g. ('髙橋', '一郎') → '高橋一郎'. */
export function nameMatchKey(familyName: string, givenName: string): string {
  return foldVariants(clean(familyName + givenName));
}

// Kana folding: small → large, obsolete / voiced-variant kana → their usual spelling.
const KANA_FOLDS = parsePairs(`
ァア ィイ ゥウ ェエ ォオ ッツ ャヤ ュユ ョヨ ヮワ ヵカ ヶケ ヂジ ヅズ ヲオ ヰイ ヱエ ヷバ ヸビ ヹベ ヺボ
ㇰク ㇱシ ㇲス ㇳト ㇴヌ ㇵハ ㇶヒ ㇷフ ㇸヘ ㇹホ ㇺム ㇻラ ㇼリ ㇽル ㇾレ ㇿロ
`);
const VU: Readonly<Record<string, string>> = { ァ: 'バ', ィ: 'ビ', ゥ: 'ブ', ェ: 'ベ', ォ: 'ボ', '': 'ブ' };
// Dropped from a reading: spaces, middle dots, equals / hyphen signs, ー, and voicing marks
// left over after NFKC because they could not compose with anything.
// eslint-disable-next-line no-misleading-character-class -- stray voicing marks are removed on purpose
const KANA_DROP = /[\s・·•‧=゠\-‐‑‒–—―−~〜ー\u3099\u309A]/g;

function toKatakana(s: string): string {
  return s.replace(/[\u3041-\u3096\u309D\u309E]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0x60));
}

/** ヽ repeats the previous kana unvoiced, ヾ voiced (いすゞ → イスズ). */
function expandIterationMarks(s: string): string {
  return s.replace(/(.)([ヽヾ]+)/gu, (_, prev: string, marks: string) => {
    const base = prev.normalize('NFD').replace(/[\u3099\u309A]/g, '');
    const voiced = (base + '\u3099').normalize('NFC');
    const again = voiced.length === 1 ? voiced : base;
    return prev + Array.from(marks, (m) => (m === 'ヽ' ? base : again)).join('');
  });
}

/**
 * The kana key: NFKC (half-width → full-width), hiragana → katakana, small kana → large,
 * ヴ → ブ family (ヴァ → バ …), ヂ → ジ, ヅ → ズ, ヲ → オ, no spaces, dots or ー.
 * kanaMatchKey('ﾀｶﾊｼ', 'いちろう') === 'タカハシイチロウ'.
 */
export function kanaMatchKey(familyKana: string, givenKana: string): string {
  let s = expandIterationMarks(toKatakana(clean(familyKana + givenKana)));
  s = s.replace(/ヴ([ァィゥェォ]?)/g, (_, v: string) => VU[v] ?? 'ブ');
  let out = '';
  for (const ch of s) out += KANA_FOLDS.get(ch) ?? ch;
  return out.replace(KANA_DROP, '');
}

// ---- staff search box ------------------------------------------------------------------

interface Era {
  firstYear: number; // Gregorian year of the era's year 1 (元年)
  start: string; // first day, YYYY-MM-DD
  end: string; // last day
}
// 明治 dates before 明治6年 (1873) were on the lunisolar calendar; they are read as if
// Gregorian here (nobody born then is alive), so 明治 has no lower bound.
const MEIJI: Era = { firstYear: 1868, start: '1868-01-01', end: '1912-07-29' };
const TAISHO: Era = { firstYear: 1912, start: '1912-07-30', end: '1926-12-24' };
const SHOWA: Era = { firstYear: 1926, start: '1926-12-25', end: '1989-01-07' };
const HEISEI: Era = { firstYear: 1989, start: '1989-01-08', end: '2019-04-30' };
const REIWA: Era = { firstYear: 2019, start: '2019-05-01', end: '9999-12-31' };
const ERAS: Readonly<Record<string, Era>> = {
  明治: MEIJI, 明: MEIJI, M: MEIJI,
  大正: TAISHO, 大: TAISHO, T: TAISHO,
  昭和: SHOWA, 昭: SHOWA, S: SHOWA,
  平成: HEISEI, 平: HEISEI, H: HEISEI,
  令和: REIWA, 令: REIWA, R: REIWA,
};

const ISO_COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const WESTERN = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/;
const JAPANESE = /^(明治|大正|昭和|平成|令和|[明大昭平令MTSHR])(元|\d{1,2})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/i;
const JAPANESE_COMPACT = /^([MTSHR])(\d{2})(\d{2})(\d{2})$/i; // S250401

function isoDate(y: number, m: number, d: number): string | undefined {
  if (y < 1800 || y > 2999 || m < 1 || m > 12 || d < 1) return undefined;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = m === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;
  if (d > days) return undefined;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function eraDate(eraName: string, year: string, m: string, d: string): string | undefined {
  const era = ERAS[eraName.toUpperCase()];
  const n = year === '元' ? 1 : Number(year);
  if (!era || n < 1) return undefined;
  const iso = isoDate(era.firstYear + n - 1, Number(m), Number(d));
  return iso && iso >= era.start && iso <= era.end ? iso : undefined;
}

/** A date typed into a search box, as YYYY-MM-DD; undefined when it is not a valid date. */
export function parseQueryDate(q: string): string | undefined {
  const s = clean(q);
  let m = ISO_COMPACT.exec(s) ?? WESTERN.exec(s);
  if (m) return isoDate(Number(m[1]), Number(m[2]), Number(m[3]));
  m = JAPANESE.exec(s) ?? JAPANESE_COMPACT.exec(s);
  if (m) return eraDate(m[1]!, m[2]!, m[3]!, m[4]!);
  return undefined;
}

const KANA_ONLY = /^[\p{Script=Hiragana}\p{Script=Katakana}ー・゠=]+$/u;
const KANA_LETTER = /[\p{Script=Hiragana}\p{Script=Katakana}]/u;

/**
 * What a staff search box was given: always a name key of the whole string; a kana key when
 * the query is all kana; a birth date when it is a valid date (then it is not a name).
 */
export function normalizeQuery(q: string): { nameKey: string; kanaKey: string | undefined; birthDate: string | undefined } {
  const birthDate = parseQueryDate(q);
  const s = clean(q);
  const kanaKey = birthDate === undefined && KANA_ONLY.test(s) && KANA_LETTER.test(s) ? kanaMatchKey(s, '') : undefined;
  return { nameKey: nameMatchKey(q, ''), kanaKey, birthDate };
}
