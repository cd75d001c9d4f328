import { defineMessages } from '../../platform/i18n.js';

export const auditMessages = defineMessages({
  'nav.audit': { ja: 'アクセス記録（監査）', 'ja-easy': 'みた きろく（かんさ）', en: 'Audit trail' },
  'nav.myAccessLog': { ja: 'アクセス記録', 'ja-easy': 'みた きろく', en: 'Who looked' },
  'audit.title': { ja: 'アクセス記録の監査', 'ja-easy': 'みた きろくの チェック', en: 'Audit trail' },
  'audit.lead': {
    ja: '個人情報へのすべてのアクセスは、改ざんを検知できるハッシュチェーンで記録されています。',
    'ja-easy': 'じょうほうを みた ことは ぜんぶ きろく されて います。きろくを かえると わかる しくみ です。',
    en: 'Every access to personal data is recorded in a hash chain that reveals tampering.',
  },
  'audit.filter': { ja: '絞り込み', 'ja-easy': 'しぼりこみ', en: 'Filter' },
  'audit.personId': { ja: '住民ID', 'ja-easy': 'じゅうみんの ID', en: 'Person ID' },
  'audit.actorId': { ja: '操作者（職員のログインID・連携システムID）', 'ja-easy': 'した ひと（ログインID）', en: 'Actor (staff login or client ID)' },
  'audit.purpose': { ja: '利用目的', 'ja-easy': 'なんのために', en: 'Purpose' },
  'audit.any': { ja: 'すべて', 'ja-easy': 'ぜんぶ', en: 'Any' },
  'audit.apply': { ja: '表示', 'ja-easy': 'みる', en: 'Show' },
  'audit.entries': { ja: 'アクセス記録', 'ja-easy': 'みた きろく', en: 'Entries' },
  'audit.older': { ja: 'さらに古い記録', 'ja-easy': 'もっと まえの きろく', en: 'Older entries' },
  'audit.verify': { ja: 'チェーンを検証', 'ja-easy': 'きろくが ただしいか たしかめる', en: 'Verify the chain' },
  'audit.verify.ok': { ja: '検証結果: 正常（{count}件、改ざんなし）', 'ja-easy': 'けっか: だいじょうぶ（{count}けん）', en: 'Verified: intact ({count} entries, no tampering)' },
  'audit.verify.broken': {
    ja: '検証結果: 異常 — 記録 {seq} で連鎖が壊れています（{reason}）',
    'ja-easy': 'けっか: もんだい あり — {seq}ばんめの きろくが おかしい です（{reason}）',
    en: 'Verification failed: the chain breaks at entry {seq} ({reason})',
  },
  'audit.badPersonId': { ja: '住民IDの形式が正しくありません。', 'ja-easy': 'じゅうみんの ID が ちがいます。', en: 'The person ID is not valid.' },
  'myLog.title': { ja: 'わたしの情報へのアクセス記録', 'ja-easy': 'わたしの じょうほうを みた きろく', en: 'Who looked at my data' },
  'myLog.lead': {
    ja: '町の職員や連携システムが、いつ・どの目的であなたの情報を見たかを表示します。ご自身による閲覧は表示していません。心当たりのない閲覧があれば窓口にご相談ください。',
    'ja-easy': 'まちの しょくいんや システムが、いつ、なんのために あなたの じょうほうを みたかが わかります。あなたが じぶんで みた ものは でません。おかしいと おもったら まどぐちに そうだん して ください。',
    en: 'When, and for what purpose, town staff and connected systems looked at your data. Your own looks are not listed. If something seems wrong, ask at the counter.',
  },
});
