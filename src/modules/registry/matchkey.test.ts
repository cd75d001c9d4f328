import { describe, expect, it } from 'vitest';
import { VARIANT_FOLDS, kanaMatchKey, nameMatchKey, normalizeQuery, parseQueryDate } from './matchkey.js';

describe('nameMatchKey', () => {
  it.each([
    ['髙橋', '一郎', '高橋一郎'],
    ['高橋', '一郎', '高橋一郎'],
    ['山﨑', '花子', '山崎花子'],
    ['山嵜', '花子', '山崎花子'],
    ['渡邊', '眞一', '渡辺真一'],
    ['渡邉', '真一', '渡辺真一'],
    ['齋藤', '惠子', '斎藤恵子'],
    ['澤田', '廣', '沢田広'],
    ['濱田', '德雄', '浜田徳雄'],
    ['濵田', '榮', '浜田栄'],
    ['櫻井', '龍也', '桜井竜也'],
    ['國重', '實', '国重実'],
    ['嶋田', '', '島田'],
    ['中嶌', '', '中島'],
    ['冨田', '', '富田'],
    ['藪内', '', '薮内'],
    ['籔内', '', '薮内'],
    ['曾我', '', '曽我'],
    ['𠮷田', '', '吉田'],
    ['𡈽屋', '', '土屋'],
    ['桒原', '', '桑原'],
    ['兒玉', '', '児玉'],
    ['桧垣', '', '檜垣'],
  ])('%s %s → %s', (family, given, key) => {
    expect(nameMatchKey(family, given)).toBe(key);
  });

  it('keeps 斎 and 斉 apart: they are two characters, not two glyphs of one', () => {
    expect(nameMatchKey('齋藤', '')).toBe('斎藤');
    expect(nameMatchKey('齊藤', '')).toBe('斉藤');
    expect(nameMatchKey('斎藤', '')).not.toBe(nameMatchKey('斉藤', ''));
    expect(kanaMatchKey('サイトウ', '')).toBe(kanaMatchKey('さいとう', ''));
  });

  it('removes every kind of space and applies NFKC', () => {
    expect(nameMatchKey('高橋\u3000', ' 一郎 ')).toBe('高橋一郎');
    expect(nameMatchKey('高\t橋', '一\n郎')).toBe('高橋一郎');
    expect(nameMatchKey('ｻﾄｳ', 'ﾊﾅｺ')).toBe('サトウハナコ');
    expect(nameMatchKey('⾼橋', '')).toBe('高橋'); // U+2FBC KANGXI RADICAL TALL, as PDFs copy it
    expect(nameMatchKey('ＡＢＣ', '')).toBe('ABC');
  });

  it('drops ideographic variation selectors and zero-width characters', () => {
    expect(nameMatchKey('葛\u{E0100}城', '')).toBe('葛城');
    expect(nameMatchKey('高\u200B橋', '')).toBe('高橋');
  });

  it('keeps repetition marks and kana as written', () => {
    expect(nameMatchKey('佐々木', 'さくら')).toBe('佐々木さくら');
  });

  it('never alters its input and is idempotent', () => {
    const inputs = ['髙橋　', '渡邉', 'か ゙', 'ｶﾞ', '葛\u{E0100}', '𠮷田', '齋藤 惠子', '\u309B', 'ア\u3000\u3099'];
    for (const x of inputs) {
      const copy = x.slice();
      const key = nameMatchKey(x, '');
      expect(x).toBe(copy);
      expect(nameMatchKey(key, '')).toBe(key);
    }
  });

  it('has a table of at least 60 pairs whose targets are never sources', () => {
    expect(VARIANT_FOLDS.size).toBeGreaterThanOrEqual(60);
    for (const [from, to] of VARIANT_FOLDS) {
      expect(from).not.toBe(to);
      expect(VARIANT_FOLDS.has(to)).toBe(false);
      expect(from.normalize('NFKC')).toBe(from);
      expect(to.normalize('NFKC')).toBe(to);
    }
  });
});

describe('kanaMatchKey', () => {
  it('makes hiragana, katakana and half-width katakana equal', () => {
    const key = kanaMatchKey('タカハシ', 'イチロウ');
    expect(key).toBe('タカハシイチロウ');
    expect(kanaMatchKey('たかはし', 'いちろう')).toBe(key);
    expect(kanaMatchKey('ﾀｶﾊｼ', 'ｲﾁﾛｳ')).toBe(key);
    expect(kanaMatchKey('タカハシ　', ' イチロウ')).toBe(key);
  });

  it.each([
    ['キョウコ', 'キヨウコ'],
    ['ハットリ', 'ハツトリ'],
    ['ヮ', 'ワ'],
    ['ヵヶ', 'カケ'],
    ['ｷｮｳｺ', 'キヨウコ'],
    ['ガッコー', 'ガツコ'],
    ['ヴァイオリン', 'バイオリン'],
    ['ヴィ ヴ ヴェ ヴォ ヴゥ', 'ビブベボブ'],
    ['ゔぁ', 'バ'],
    ['ミヅキ', 'ミズキ'],
    ['チヂミ', 'チジミ'],
    ['ヲノ', 'オノ'],
    ['ジョン・スミス', 'ジヨンスミス'],
    ['ｼﾞｮﾝ･ｽﾐｽ', 'ジヨンスミス'],
    ['いすゞ', 'イスズ'],
    ['ウ゛ィ', 'ビ'],
  ])('%s → %s', (kana, key) => {
    expect(kanaMatchKey(kana, '')).toBe(key);
  });

  it('never alters its input and is idempotent', () => {
    for (const x of ['ｶﾞｯｺｰ', 'ヴァ・ヂ', 'いすゞ', 'カー\u3099', 'ゝ', 'さいとう　まさこ']) {
      const copy = x.slice();
      const key = kanaMatchKey(x, '');
      expect(x).toBe(copy);
      expect(kanaMatchKey(key, '')).toBe(key);
    }
  });
});

describe('parseQueryDate', () => {
  it.each([
    ['1950-04-01', '1950-04-01'],
    ['1950/4/1', '1950-04-01'],
    ['19500401', '1950-04-01'],
    ['1950年4月1日', '1950-04-01'],
    ['１９５０年４月１日', '1950-04-01'],
    ['昭和25年4月1日', '1950-04-01'],
    ['S25.4.1', '1950-04-01'],
    ['s25/4/1', '1950-04-01'],
    ['S250401', '1950-04-01'],
    ['昭25.4.1', '1950-04-01'],
    ['昭和 25年 4月 1日', '1950-04-01'],
    ['明治45年7月29日', '1912-07-29'],
    ['大正元年7月30日', '1912-07-30'],
    ['T15.12.24', '1926-12-24'],
    ['昭和元年12月25日', '1926-12-25'],
    ['昭和64年1月7日', '1989-01-07'],
    ['平成1年1月8日', '1989-01-08'],
    ['平成元年1月8日', '1989-01-08'],
    ['H1.1.8', '1989-01-08'],
    ['㍻2年3月4日', '1990-03-04'],
    ['H31.4.30', '2019-04-30'],
    ['令和元年5月1日', '2019-05-01'],
    ['R1.5.1', '2019-05-01'],
    ['r8/11/22', '2026-11-22'],
    ['H12.2.29', '2000-02-29'],
  ])('%s → %s', (q, iso) => {
    expect(parseQueryDate(q)).toBe(iso);
  });

  it.each([
    '2023-02-29', // not a leap year
    '1900-02-29', // century, not a leap year
    '昭和25年2月30日',
    '昭和64年1月8日', // already 平成
    '平成1年1月7日', // still 昭和
    '平成31年5月1日', // already 令和
    '令和1年4月30日', // still 平成
    '大正1年7月29日',
    '明治45年7月30日',
    '昭和0年1月1日',
    '1950-13-01',
    '1950-04-31',
    '19501301',
    '12345678',
    'X25.4.1',
    '高橋',
    '',
  ])('%s is not a date', (q) => {
    expect(parseQueryDate(q)).toBeUndefined();
  });
});

describe('normalizeQuery', () => {
  it('reads a date as a birth date, and nothing else', () => {
    expect(normalizeQuery('S25.4.1')).toEqual({ nameKey: 'S25.4.1', kanaKey: undefined, birthDate: '1950-04-01' });
  });

  it('treats an invalid date as a name', () => {
    expect(normalizeQuery('昭和25年2月30日')).toEqual({ nameKey: '昭和25年2月30日', kanaKey: undefined, birthDate: undefined });
  });

  it('gives a kana key to an all-kana query', () => {
    expect(normalizeQuery('たかはし いちろう')).toEqual({ nameKey: 'たかはしいちろう', kanaKey: 'タカハシイチロウ', birthDate: undefined });
    expect(normalizeQuery('ﾀｶﾊｼ')).toEqual({ nameKey: 'タカハシ', kanaKey: 'タカハシ', birthDate: undefined });
    expect(normalizeQuery('ジョン・スミス').kanaKey).toBe('ジヨンスミス');
  });

  it('gives only a name key to kanji, mixed or empty queries', () => {
    expect(normalizeQuery('髙橋　一郎')).toEqual({ nameKey: '高橋一郎', kanaKey: undefined, birthDate: undefined });
    expect(normalizeQuery('高橋いちろう').kanaKey).toBeUndefined();
    expect(normalizeQuery('ー・').kanaKey).toBeUndefined();
    expect(normalizeQuery('  ')).toEqual({ nameKey: '', kanaKey: undefined, birthDate: undefined });
  });
});
