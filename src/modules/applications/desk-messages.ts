/** Words of the counter desk's part of the visit screen and of the pre-entry drafts. */
import { registerMessages } from '../../platform/i18n.js';

registerMessages({
  'applications.desk.for': { ja: '（{name} さん）', 'ja-easy': '（{name} さん）', en: ' (for {name})' },
  'applications.desk.complete': { ja: '記入済み', 'ja-easy': 'かけました', en: 'Complete' },
  'applications.desk.open': { ja: '残り{n}項目', 'ja-easy': 'のこり {n}こ', en: '{n} to ask' },
  'applications.desk.known': {
    ja: '記入済みの内容（{n}項目、うち町の記録から{records}項目）',
    'ja-easy': 'かいて ある こと（{n}こ。まちの きろくから {records}こ）',
    en: 'Already filled in ({n} items, {records} from the town’s records)',
  },
  'applications.desk.fromRecord': { ja: '（町の記録から）', 'ja-easy': '（まちの きろくから）', en: ' (from the town’s records)' },
  'applications.desk.needsFullForm': {
    ja: 'この申請書には、この画面では聞けない項目（世帯員の一覧など）が残っています。全項目を開いて記入してください。',
    'ja-easy': 'この しんせいしょは、ぜんぶの こうもくを ひらいて かいて ください。',
    en: 'Something on this form cannot be asked here (such as a list of household members): open the full form.',
  },
  'applications.desk.attach': {
    ja: '書類の写しが必要です：{names}。お預かりした書類をスキャンして添付してください。',
    'ja-easy': 'かみの コピーが いります：{names}。スキャン して つけて ください。',
    en: 'A copy of a document is needed: {names}. Scan the document the visitor hands over and attach it.',
  },
  'applications.desk.attachLink': { ja: '添付する', 'ja-easy': 'つける', en: 'Attach' },
  'applications.desk.sameContact': { ja: '{field}：上の手続と同じものを使います。', 'ja-easy': '{field}：うえと おなじ です。', en: '{field}: the same as above.' },
  'applications.desk.fullForm': { ja: '「{name}」の全項目を開く', 'ja-easy': '「{name}」を ぜんぶ ひらく', en: 'Open the full form of “{name}”' },
  'applications.desk.remove': { ja: 'この手続を外す', 'ja-easy': 'この てつづきを やめる', en: 'Remove this procedure' },
  'applications.desk.back': { ja: '来庁の画面に戻る', 'ja-easy': 'まどぐちの がめんに もどる', en: 'Back to the visit' },
  'applications.desk.backPreEntry': { ja: '事前入力に戻る', 'ja-easy': 'じぜん にゅうりょくに もどる', en: 'Back to the pre-entry' },
});
