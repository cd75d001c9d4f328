/**
 * Name and place data for the FICTIONAL demo town みどり町.
 *
 * ALL OF THIS IS FICTIONAL DEMO DATA: common Japanese family and given names with their
 * readings, and invented 大字. Any combination the generator makes that matches a real
 * person is chance.
 *
 * Compact encoding, split at load: entries are separated by whitespace; an entry is
 * `name:カナ[:weight][:variant/variant]` (weight for family names only).
 */

export interface FamilyName {
  name: string; // common form
  kana: string;
  weight: number; // relative commonness
  variants: readonly string[]; // registered variant spellings, same reading (髙橋 for 高橋)
}
export interface GivenName {
  name: string;
  kana: string;
  variants: readonly string[];
}
export interface GivenNameEra {
  from: number; // birth years, inclusive
  to: number;
  male: readonly GivenName[];
  female: readonly GivenName[];
}
export interface Aza {
  name: string; // 大字 as written in the address
  code: string; // 4-digit 大字 part of the 町字ID
  dxKm: number; // east of the town centre
  dyKm: number; // north of the town centre
  spreadKm: number; // houses lie within this radius
  weight: number; // share of households
}

// Weights are rough relative frequencies: national top names, boosted for names common in
// rural Hiroshima / Okayama (藤井, 藤原, 岡田, 山根, 檜垣, 新宅, 迫田, 栗栖, 難波, 三宅 …).
const FAMILY = `
佐藤:サトウ:150 鈴木:スズキ:110 高橋:タカハシ:130:髙橋 田中:タナカ:135 伊藤:イトウ:100
渡辺:ワタナベ:105:渡邊/渡邉 山本:ヤマモト:140 中村:ナカムラ:105 小林:コバヤシ:85 加藤:カトウ:75
吉田:ヨシダ:85:𠮷田 山田:ヤマダ:80 佐々木:ササキ:100 山口:ヤマグチ:70 松本:マツモト:70
井上:イノウエ:65 木村:キムラ:60 林:ハヤシ:55 斎藤:サイトウ:45:齋藤 清水:シミズ:50
山崎:ヤマザキ:50:山﨑 森:モリ:45 池田:イケダ:50 橋本:ハシモト:48 阿部:アベ:30 石川:イシカワ:40
山下:ヤマシタ:45 中島:ナカジマ:40:中嶋 石井:イシイ:38 小川:オガワ:38 前田:マエダ:40 岡田:オカダ:55
長谷川:ハセガワ:30 藤田:フジタ:40 後藤:ゴトウ:30 近藤:コンドウ:30 村上:ムラカミ:50 遠藤:エンドウ:20
青木:アオキ:28 坂本:サカモト:35 斉藤:サイトウ:25:齊藤 福田:フクダ:35 太田:オオタ:30 西村:ニシムラ:35
藤井:フジイ:60 金子:カネコ:20 岡本:オカモト:55 藤原:フジワラ:65 中野:ナカノ:28 三浦:ミウラ:20
原田:ハラダ:45 中川:ナカガワ:30 松田:マツダ:35 竹内:タケウチ:25 小野:オノ:30 田村:タムラ:30
中山:ナカヤマ:28 和田:ワダ:30 石田:イシダ:30 森田:モリタ:30 上田:ウエダ:35 原:ハラ:30
内田:ウチダ:25 柴田:シバタ:22 酒井:サカイ:22 宮崎:ミヤザキ:25:宮﨑 横山:ヨコヤマ:30 高木:タカギ:22:髙木
安藤:アンドウ:20 宮本:ミヤモト:40 大野:オオノ:22 小島:コジマ:18:小嶋 谷口:タニグチ:25 今井:イマイ:20
工藤:クドウ:10 高田:タカダ:25:髙田 増田:マスダ:25 丸山:マルヤマ:18 杉山:スギヤマ:15 村田:ムラタ:25
大塚:オオツカ:15 新井:アライ:12 小山:コヤマ:15 平野:ヒラノ:20 藤本:フジモト:40 河野:コウノ:35
上野:ウエノ:15 野口:ノグチ:18 武田:タケダ:20 松井:マツイ:20 千葉:チバ:8 岩崎:イワサキ:15:岩﨑
菅原:スガワラ:10 木下:キノシタ:25 久保:クボ:15 佐野:サノ:12 野村:ノムラ:20 松尾:マツオ:20
市川:イチカワ:12 杉本:スギモト:18 古川:フルカワ:15 大西:オオニシ:18 島田:シマダ:18:嶋田 水野:ミズノ:10
桜井:サクライ:12:櫻井 高野:タカノ:12:髙野 吉川:ヨシカワ:20 山内:ヤマウチ:18 西田:ニシダ:22 飯田:イイダ:12
浜田:ハマダ:25:濱田/濵田 沢田:サワダ:15:澤田 広田:ヒロタ:15:廣田 富田:トミタ:15:冨田 徳永:トクナガ:12:德永
真鍋:マナベ:10:眞鍋 岡崎:オカザキ:12:岡﨑 大島:オオシマ:12:大嶋 岩本:イワモト:22 土井:ドイ:20:𡈽井
植田:ウエダ:15 平田:ヒラタ:20 松浦:マツウラ:15 石原:イシハラ:20 児玉:コダマ:15:兒玉 河本:カワモト:25
神田:カンダ:12 三好:ミヨシ:18 片岡:カタオカ:15 檜垣:ヒガキ:15:桧垣 新宅:シンタク:10 迫田:サコダ:12
栗栖:クリス:10 国重:クニシゲ:10:國重 難波:ナンバ:15 三宅:ミヤケ:20 守屋:モリヤ:12 大下:オオシタ:12
砂田:スナダ:8 沖:オキ:8 桑田:クワタ:12:桒田 桑原:クワバラ:15:桒原 平岡:ヒラオカ:15 二宮:ニノミヤ:12
宍戸:シシド:8 天野:アマノ:10 熊谷:クマガイ:10 末永:スエナガ:10 重松:シゲマツ:8 宇根:ウネ:6
福間:フクマ:6 兼田:カネダ:8 蔵田:クラタ:8 下岡:シモオカ:8 竹本:タケモト:15 赤木:アカギ:12
片山:カタヤマ:20 小田:オダ:15 川上:カワカミ:15 坂田:サカタ:12 岡野:オカノ:10 益田:マスダ:10
向井:ムカイ:12 門田:カドタ:12 世良:セラ:8 今田:イマダ:10 入江:イリエ:8 沖田:オキタ:8
土屋:ツチヤ:8:𡈽屋 柳田:ヤナギダ:8:栁田 吉岡:ヨシオカ:15 大森:オオモリ:10 荒木:アラキ:10 山根:ヤマネ:25
中本:ナカモト:15 平山:ヒラヤマ:12 梶原:カジワラ:10 田辺:タナベ:10:田邊/田邉 藤川:フジカワ:10 内海:ウツミ:8
有田:アリタ:8 日野:ヒノ:8 寺岡:テラオカ:8 寺本:テラモト:10 細川:ホソカワ:8 瀬川:セガワ:6:瀨川
長尾:ナガオ:10 奥田:オクダ:12 石本:イシモト:10 佐伯:サエキ:12 中西:ナカニシ:15 大田:オオタ:10
荒川:アラカワ:8 竹下:タケシタ:12 浅野:アサノ:12:淺野 豊田:トヨタ:8:豐田 宮田:ミヤタ:12 秋山:アキヤマ:12
`;

// Given names by the birth years they were popular in, so a person's name fits their age.
const MALE: Record<string, string> = {
  '1880-1945': `清:キヨシ 茂:シゲル 勇:イサム 正:タダシ 実:ミノル:實 進:ススム 稔:ミノル 武:タケシ 三郎:サブロウ
    正雄:マサオ 勝:マサル 保:タモツ 和夫:カズオ 義雄:ヨシオ 一男:カズオ 秀雄:ヒデオ 幸雄:ユキオ 忠:タダシ
    豊:ユタカ 久雄:ヒサオ 敏夫:トシオ 光男:ミツオ 利夫:トシオ 栄:サカエ:榮 広:ヒロシ:廣 政夫:マサオ
    正義:マサヨシ 勝美:カツミ 次郎:ジロウ 繁:シゲル 満:ミツル:滿`,
  '1946-1965': `博:ヒロシ 弘:ヒロシ 隆:タカシ 誠:マコト 修:オサム 浩:ヒロシ 明:アキラ 孝:タカシ 和彦:カズヒコ
    秀樹:ヒデキ 健二:ケンジ 浩二:コウジ 幸一:コウイチ 一郎:イチロウ 正男:マサオ 俊彦:トシヒコ 哲也:テツヤ
    昭:アキラ 悟:サトル 洋一:ヨウイチ 誠一:セイイチ 真一:シンイチ:眞一 英樹:ヒデキ 賢治:ケンジ 秀明:ヒデアキ
    茂樹:シゲキ 徳雄:ノリオ:德雄`,
  '1966-1985': `大輔:ダイスケ 剛:ツヨシ 直樹:ナオキ 学:マナブ 達也:タツヤ 和也:カズヤ 拓也:タクヤ 智:サトシ
    亮:リョウ 聡:サトシ 健一:ケンイチ 浩之:ヒロユキ 大介:ダイスケ 貴之:タカユキ 洋平:ヨウヘイ 修平:シュウヘイ
    隆之:タカユキ 崇:タカシ 健太郎:ケンタロウ 雅之:マサユキ 慎也:シンヤ 勝也:カツヤ 淳:ジュン 徹:トオル`,
  '1986-2005': `翔太:ショウタ 拓海:タクミ 大輝:ダイキ 健太:ケンタ 翔:ショウ 大樹:ダイキ 海斗:カイト 翼:ツバサ
    優太:ユウタ 颯太:ソウタ 亮太:リョウタ 陸:リク 駿:シュン 和樹:カズキ 直人:ナオト 竜也:タツヤ:龍也
    雄大:ユウダイ 拓真:タクマ 大地:ダイチ 将太:ショウタ 祐介:ユウスケ 翔平:ショウヘイ 涼:リョウ 航:ワタル`,
  '2006-2100': `蓮:レン 陽翔:ハルト 湊:ミナト 大翔:ヒロト 悠真:ユウマ 蒼:アオイ 樹:イツキ 陽向:ヒナタ 悠人:ユウト
    朝陽:アサヒ 颯:ハヤテ 律:リツ 碧:アオイ 新:アラタ 奏太:ソウタ 凪:ナギ 蒼空:ソラ 悠斗:ユウト 結翔:ユイト
    陽太:ヒナタ 湊斗:ミナト 晴:ハル 岳:ガク 煌:コウ`,
};
const FEMALE: Record<string, string> = {
  '1880-1945': `和子:カズコ 幸子:サチコ 節子:セツコ 久子:ヒサコ 美代子:ミヨコ 文子:フミコ 千代子:チヨコ 静子:シズコ
    澄子:スミコ 光子:ミツコ 君子:キミコ 富子:トミコ:冨子 清子:キヨコ 信子:ノブコ 照子:テルコ 貞子:サダコ
    敏子:トシコ 芳子:ヨシコ 八重子:ヤエコ 正子:マサコ 春子:ハルコ ハル:ハル キヨ:キヨ ツル:ツル
    ミツエ:ミツエ トミ:トミ 静江:シズエ 初江:ハツエ`,
  '1946-1965': `恵子:ケイコ:惠子 洋子:ヨウコ 京子:キョウコ 悦子:エツコ 由美子:ユミコ 美智子:ミチコ 久美子:クミコ
    典子:ノリコ 順子:ジュンコ 明美:アケミ 裕子:ユウコ 康子:ヤスコ 弘子:ヒロコ 栄子:エイコ:榮子 孝子:タカコ
    紀子:ノリコ 啓子:ケイコ 伸子:ノブコ 美恵子:ミエコ 千恵子:チエコ 好美:ヨシミ 和美:カズミ
    真理子:マリコ:眞理子 博子:ヒロコ`,
  '1966-1985': `真由美:マユミ 智子:トモコ 直美:ナオミ 由美:ユミ 恵:メグミ 陽子:ヨウコ 美穂:ミホ 香織:カオリ
    恵美:エミ 純子:ジュンコ 由香:ユカ 美香:ミカ 綾:アヤ 幸恵:ユキエ 尚子:ナオコ 敦子:アツコ 美紀:ミキ
    友美:トモミ 理恵:リエ 千春:チハル 亜希子:アキコ さおり:サオリ 知美:トモミ`,
  '1986-2005': `美咲:ミサキ 彩:アヤ 愛:アイ 沙織:サオリ 麻衣:マイ 葵:アオイ さくら:サクラ 七海:ナナミ 明日香:アスカ
    優花:ユウカ 千尋:チヒロ 舞:マイ 遥:ハルカ 彩香:アヤカ 菜々子:ナナコ 真央:マオ 萌:モエ 彩乃:アヤノ
    奈々:ナナ 未来:ミク 優衣:ユイ 亜美:アミ 瑞希:ミズキ`,
  '2006-2100': `陽葵:ヒマリ 凛:リン 結菜:ユイナ 芽依:メイ 紬:ツムギ 結衣:ユイ 陽菜:ヒナ 杏:アン 澪:ミオ 莉子:リコ
    咲良:サクラ 心春:コハル 美月:ミヅキ 彩葉:イロハ 花:ハナ ひなた:ヒナタ 琴音:コトネ 芽生:メイ 結愛:ユア
    心結:ミユ 愛莉:アイリ 楓:カエデ 紗希:サキ`,
};

// The invented 大字 of みどり町, placed around the town centre along its valleys.
export const AZA: readonly Aza[] = [
  { name: '大字みどり', code: '0001', dxKm: 0, dyKm: 0, spreadKm: 1.0, weight: 30 },
  { name: '大字上野', code: '0002', dxKm: -2.6, dyKm: 1.3, spreadKm: 0.9, weight: 15 },
  { name: '大字下野', code: '0003', dxKm: 2.3, dyKm: -1.4, spreadKm: 0.9, weight: 15 },
  { name: '大字中山', code: '0004', dxKm: -0.8, dyKm: -2.9, spreadKm: 0.8, weight: 11 },
  { name: '大字本郷', code: '0005', dxKm: 3.4, dyKm: 2.1, spreadKm: 1.0, weight: 14 },
  { name: '大字西原', code: '0006', dxKm: -4.1, dyKm: -1.1, spreadKm: 0.7, weight: 8 },
  { name: '大字奥谷', code: '0007', dxKm: -4.6, dyKm: 3.2, spreadKm: 0.6, weight: 5 },
];

/** Apartment names; `{aza}` is the 大字 without the 大字 prefix. */
export const BUILDING_NAMES: readonly string[] = ['町営{aza}住宅', 'コーポ{aza}', 'ハイツ{aza}', '{aza}団地', 'メゾン{aza}', 'グリーンハイツ{aza}'];

function entries(text: string): string[][] {
  return text
    .trim()
    .split(/\s+/)
    .map((e) => e.split(':'));
}

function variantsOf(field: string | undefined): string[] {
  return field ? field.split('/') : [];
}

export const FAMILY_NAMES: readonly FamilyName[] = entries(FAMILY).map(([name, kana, weight, variants]) => ({
  name: name ?? '',
  kana: kana ?? '',
  weight: Number(weight),
  variants: variantsOf(variants),
}));

function givenNames(text: string): GivenName[] {
  return entries(text).map(([name, kana, variants]) => ({ name: name ?? '', kana: kana ?? '', variants: variantsOf(variants) }));
}

export const GIVEN_NAME_ERAS: readonly GivenNameEra[] = Object.keys(MALE).map((range) => {
  const [from, to] = range.split('-').map(Number);
  return { from: from ?? 0, to: to ?? 0, male: givenNames(MALE[range] ?? ''), female: givenNames(FEMALE[range] ?? '') };
});
