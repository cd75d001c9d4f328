/**
 * みどり町's public facilities as the demo town has them (fictional, in the way small towns
 * let theirs): the 中央公民館's rooms let by 区分 (午前・午後・夜間), its hall, the 町民体育館
 * (full court or either half), three tennis courts in two-hour slots, and the town bus
 * みどり号 with 25 seats on its shopping-and-clinic trips. Fees per hour as in a town's
 * 使用料条例; people from outside the town pay half as much again; reductions (減免) for
 * people 65 and over, disabled people, children, and registered groups.
 */
export interface SeedUnit {
  code: string;
  nameJa: string;
  nameEn: string;
  hourlyFee: number;
  capacity?: number;
  /** Codes of the units this one is made of (the gym's full court). */
  parts?: string[];
}

export interface SeedFacility {
  code: string;
  kind: 'room' | 'gym' | 'court' | 'hall' | 'bus';
  nameJa: string;
  nameEn: string;
  placeJa: string;
  placeEn: string;
  descriptionJa: string;
  descriptionEn: string;
  capacity: number;
  slotMinutes: number;
  holdMinutes: number;
  konbiniHoldHours: number;
  residentWindowDays: number;
  nonresidentWindowDays: number;
  closesMinutesBefore: number;
  cancelDeadlineDays: number;
  surchargePercent: number;
  maxActive: number;
  lottery: boolean;
  /** Opening hours by weekday (0 Sunday … 6 Saturday); missing: closed. */
  hours: Record<number, [string, string]>;
  periods?: { code: string; nameJa: string; nameEn: string; starts: string; ends: string }[];
  cancellation: [daysBefore: number, refundPercent: number][];
  units: SeedUnit[];
}

const KUBUN = [
  { code: 'am', nameJa: '午前', nameEn: 'Morning', starts: '09:00', ends: '12:00' },
  { code: 'pm', nameJa: '午後', nameEn: 'Afternoon', starts: '13:00', ends: '17:00' },
  { code: 'night', nameJa: '夜間', nameEn: 'Evening', starts: '18:00', ends: '21:00' },
];
const TUE_TO_SUN: Record<number, [string, string]> = { 0: ['09:00', '21:00'], 2: ['09:00', '21:00'], 3: ['09:00', '21:00'], 4: ['09:00', '21:00'], 5: ['09:00', '21:00'], 6: ['09:00', '21:00'] };

export const SEED_FACILITIES: SeedFacility[] = [
  {
    code: 'kominkan',
    kind: 'room',
    nameJa: '中央公民館',
    nameEn: 'Central Community Centre',
    placeJa: 'みどり町大字みどり1234番地（役場となり）',
    placeEn: '1234 Oaza Midori, Midori (next to the town hall)',
    descriptionJa: '会議室・和室・調理実習室を午前・午後・夜間の区分で貸し出します。毎週月曜日と年末年始は休館です。',
    descriptionEn: 'Meeting rooms, a tatami room and a cooking room, let by morning, afternoon and evening. Closed on Mondays and over the New Year.',
    capacity: 40,
    slotMinutes: 180,
    holdMinutes: 30,
    konbiniHoldHours: 72,
    residentWindowDays: 90,
    nonresidentWindowDays: 30,
    closesMinutesBefore: 60,
    cancelDeadlineDays: 1,
    surchargePercent: 50,
    maxActive: 6,
    lottery: false,
    hours: TUE_TO_SUN,
    periods: KUBUN,
    cancellation: [[7, 100], [1, 50]],
    units: [
      { code: 'kaigi-1', nameJa: '第1会議室', nameEn: 'Meeting room 1', hourlyFee: 400, capacity: 30 },
      { code: 'kaigi-2', nameJa: '第2会議室', nameEn: 'Meeting room 2', hourlyFee: 300, capacity: 18 },
      { code: 'washitsu', nameJa: '和室', nameEn: 'Tatami room', hourlyFee: 300, capacity: 20 },
      { code: 'chori', nameJa: '調理実習室', nameEn: 'Cooking room', hourlyFee: 500, capacity: 24 },
    ],
  },
  {
    code: 'kominkan-hall',
    kind: 'hall',
    nameJa: '中央公民館ホール',
    nameEn: 'Community Centre Hall',
    placeJa: 'みどり町大字みどり1234番地 中央公民館1階',
    placeEn: 'Central Community Centre, ground floor',
    descriptionJa: '客席300席のホールです。土曜・日曜の利用は抽選で決めることがあります。舞台・音響設備の使用は事前にご相談ください。',
    descriptionEn: 'A hall with 300 seats. Weekend dates may go to a lottery. Ask in advance about the stage and sound equipment.',
    capacity: 300,
    slotMinutes: 180,
    holdMinutes: 60,
    konbiniHoldHours: 120,
    residentWindowDays: 180,
    nonresidentWindowDays: 90,
    closesMinutesBefore: 24 * 60,
    cancelDeadlineDays: 14,
    surchargePercent: 50,
    maxActive: 4,
    lottery: true,
    hours: TUE_TO_SUN,
    periods: KUBUN,
    cancellation: [[30, 100], [14, 50]],
    units: [{ code: 'hall', nameJa: 'ホール', nameEn: 'Hall', hourlyFee: 2000 }],
  },
  {
    code: 'taiikukan',
    kind: 'gym',
    nameJa: '町民体育館',
    nameEn: 'Town Gymnasium',
    placeJa: 'みどり町大字青葉567番地 みどり運動公園内',
    placeEn: '567 Oaza Aoba, in Midori Sports Park',
    descriptionJa: 'バスケットボール・バレーボール・バドミントンなどに。全面のほか、半面（ステージ側・入口側）ずつ借りられます。室内用の靴をお持ちください。',
    descriptionEn: 'For basketball, volleyball, badminton and more: the full court, or either half (stage side, entrance side). Bring indoor shoes.',
    capacity: 200,
    slotMinutes: 120,
    holdMinutes: 30,
    konbiniHoldHours: 72,
    residentWindowDays: 60,
    nonresidentWindowDays: 30,
    closesMinutesBefore: 60,
    cancelDeadlineDays: 2,
    surchargePercent: 50,
    maxActive: 4,
    lottery: true,
    hours: TUE_TO_SUN,
    cancellation: [[7, 100], [2, 50]],
    units: [
      { code: 'zenmen', nameJa: '全面', nameEn: 'Full court', hourlyFee: 1200, parts: ['hanmen-a', 'hanmen-b'] },
      { code: 'hanmen-a', nameJa: '半面A（ステージ側）', nameEn: 'Half court A (stage side)', hourlyFee: 600, capacity: 100 },
      { code: 'hanmen-b', nameJa: '半面B（入口側）', nameEn: 'Half court B (entrance side)', hourlyFee: 600, capacity: 100 },
    ],
  },
  {
    code: 'tennis',
    kind: 'court',
    nameJa: 'みどり運動公園テニスコート',
    nameEn: 'Midori Sports Park tennis courts',
    placeJa: 'みどり町大字青葉567番地 みどり運動公園内',
    placeEn: '567 Oaza Aoba, in Midori Sports Park',
    descriptionJa: '砂入り人工芝のコート3面です。夜間照明は20時まで。雨天で使えないときは管理事務所の判断で中止し、使用料を全額お返しします。',
    descriptionEn: 'Three artificial-grass courts, lit until 8 pm. When rain closes them, the park office cancels and refunds in full.',
    capacity: 8,
    slotMinutes: 120,
    holdMinutes: 20,
    konbiniHoldHours: 48,
    residentWindowDays: 30,
    nonresidentWindowDays: 14,
    closesMinutesBefore: 30,
    cancelDeadlineDays: 1,
    surchargePercent: 50,
    maxActive: 4,
    lottery: false,
    hours: { 0: ['08:00', '20:00'], 1: ['08:00', '20:00'], 2: ['08:00', '20:00'], 3: ['08:00', '20:00'], 4: ['08:00', '20:00'], 5: ['08:00', '20:00'], 6: ['08:00', '20:00'] },
    cancellation: [[1, 100]],
    units: [
      { code: 'court-1', nameJa: '1番コート', nameEn: 'Court 1', hourlyFee: 500 },
      { code: 'court-2', nameJa: '2番コート', nameEn: 'Court 2', hourlyFee: 500 },
      { code: 'court-3', nameJa: '3番コート', nameEn: 'Court 3', hourlyFee: 500 },
    ],
  },
  {
    code: 'bus',
    kind: 'bus',
    nameJa: '町有バス みどり号',
    nameEn: 'Town bus “Midori”',
    placeJa: '役場前バス停から発車します',
    placeEn: 'Leaves from the town hall bus stop',
    descriptionJa: '買い物・通院のための予約制のバスです（25人乗り）。1回の予約で1席です。ご家族の分はお一人ずつ予約してください。',
    descriptionEn: 'A bus for shopping and clinic visits, by booking (25 seats). One booking is one seat: book each passenger.',
    capacity: 1,
    slotMinutes: 60,
    holdMinutes: 15,
    konbiniHoldHours: 0,
    residentWindowDays: 14,
    nonresidentWindowDays: 7,
    closesMinutesBefore: 60,
    cancelDeadlineDays: 0,
    surchargePercent: 50,
    maxActive: 4,
    lottery: false,
    hours: { 2: ['08:00', '18:00'], 5: ['08:00', '18:00'] },
    cancellation: [[0, 100]],
    units: Array.from({ length: 25 }, (_, i) => ({ code: `seat-${String(i + 1).padStart(2, '0')}`, nameJa: `${i + 1}番席`, nameEn: `Seat ${i + 1}`, hourlyFee: 0 })),
  },
];

/** The bus's timetable: Tuesdays and Fridays, a morning and an afternoon trip. */
export const SEED_TRIPS = [
  { weekdays: [2, 5], departs: '09:00', returns: '12:00', fare: 200, routeJa: '役場前 → みどり総合病院 → ショッピングセンターみどり → 役場前', routeEn: 'Town hall → Midori General Hospital → Midori shopping centre → Town hall' },
  { weekdays: [2, 5], departs: '13:30', returns: '16:30', fare: 200, routeJa: '役場前 → 青葉診療所 → 道の駅みどり → 役場前', routeEn: 'Town hall → Aoba clinic → Roadside station Midori → Town hall' },
];

export const SEED_REDUCTIONS = [
  { code: 'senior', nameJa: '65歳以上の方', nameEn: 'People aged 65 and over', percent: 50, basis: 'register-age' as const, minAge: 65, maxAge: null, proofJa: '住民記録で年齢を確かめます', proofEn: 'The age is checked in the register' },
  { code: 'disability', nameJa: '障害者手帳をお持ちの方', nameEn: 'Holders of a disability certificate', percent: 100, basis: 'declared' as const, minAge: null, maxAge: null, proofJa: '利用当日に障害者手帳等を提示してください', proofEn: 'Show the certificate on the day' },
  { code: 'children', nameJa: '中学生以下の利用（子ども）', nameEn: 'Use by children (up to junior high school)', percent: 50, basis: 'declared' as const, minAge: null, maxAge: null, proofJa: '利用者の半数以上が中学生以下の場合。当日確認します', proofEn: 'When most users are children; checked on the day' },
  { code: 'group-community', nameJa: '登録団体（地域活動）', nameEn: 'Registered group (community activity)', percent: 50, basis: 'group' as const, minAge: null, maxAge: null, proofJa: '団体登録の審査で決まります', proofEn: 'Granted when the group is approved' },
  { code: 'group-welfare', nameJa: '登録団体（福祉・子ども会）', nameEn: 'Registered group (welfare, children’s association)', percent: 100, basis: 'group' as const, minAge: null, maxAge: null, proofJa: '団体登録の審査で決まります', proofEn: 'Granted when the group is approved' },
];

export const SEED_GROUPS = [
  { name: 'みどり卓球クラブ', members: 18, activity: '毎週の卓球練習と町民大会への参加', state: 'approved' as const, reduction: 'group-community' },
  { name: 'みどり子ども会', members: 42, activity: '子ども会の行事（夏祭り・餅つき・スポーツ大会）', state: 'approved' as const, reduction: 'group-welfare' },
  { name: 'みどり太極拳の会', members: 9, activity: '太極拳の練習（週1回）', state: 'applied' as const, reduction: null },
];
