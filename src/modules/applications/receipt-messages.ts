/** The strings of the application receipt (受付票) PDF, in ja, ja-easy and en. */
import { defineMessages } from '../../platform/i18n.js';

export const receiptMessages = defineMessages({
  'applications.receipt.title': { ja: '申請受付票', 'ja-easy': 'しんせいを うけつけました', en: 'Application receipt' },
  'applications.receipt.demo': { ja: 'デモ（架空のデータ）', 'ja-easy': 'デモ（ほんとうでは ない データ）', en: 'DEMO (fictional data)' },
  'applications.receipt.intro': {
    ja: '次のとおり申請を受け付けました。',
    'ja-easy': 'つぎの しんせいを うけつけました。',
    en: 'We have received the application below.',
  },
  'applications.receipt.reference': { ja: '受付番号', 'ja-easy': 'うけつけ ばんごう', en: 'Reference number' },
  'applications.receipt.receivedAt': { ja: '受付日時', 'ja-easy': 'うけつけた ひにちと じかん', en: 'Received' },
  'applications.receipt.time': { ja: '{hour}時{minute}分', 'ja-easy': '{hour}じ {minute}ふん', en: '{hour}:{minute} (JST)' },
  'applications.receipt.applicant': { ja: '申請者', 'ja-easy': 'しんせいした ひと', en: 'Applicant' },
  'applications.receipt.bundle': { ja: 'まとめて申請した手続', 'ja-easy': 'いっしょに だした てつづき', en: 'Submitted together as' },
  'applications.receipt.channel': { ja: '受付方法', 'ja-easy': 'だしかた', en: 'Submitted' },
  'applications.receipt.channel.online': { ja: 'オンライン申請', 'ja-easy': 'インターネット', en: 'Online' },
  'applications.receipt.channel.paper': { ja: '窓口（書面）', 'ja-easy': 'まどぐち（かみ）', en: 'At the counter (on paper)' },
  'applications.receipt.items': { ja: '申請した手続', 'ja-easy': 'だした てつづき', en: 'Procedures applied for' },
  'applications.receipt.col.reference': { ja: '番号', 'ja-easy': 'ばんごう', en: 'Number' },
  'applications.receipt.col.procedure': { ja: '手続', 'ja-easy': 'てつづき', en: 'Procedure' },
  'applications.receipt.col.subject': { ja: '対象者', 'ja-easy': 'だれの', en: 'For' },
  'applications.receipt.col.department': { ja: '担当課', 'ja-easy': 'たんとう', en: 'Section' },
  'applications.receipt.col.period': { ja: '標準処理期間', 'ja-easy': 'かかる ひにち', en: 'Usual time' },
  'applications.receipt.col.fee': { ja: '手数料', 'ja-easy': 'おかね', en: 'Fee' },
  'applications.receipt.days': { ja: '{days}日', 'ja-easy': '{days}にち', en: '{days} days' },
  'applications.receipt.oneDay': { ja: '1日', 'ja-easy': '1にち', en: '1 day' },
  'applications.receipt.sameDay': { ja: '即日', 'ja-easy': 'その ひ', en: 'Same day' },
  'applications.receipt.yen': { ja: '{amount}円', 'ja-easy': '{amount}えん', en: '¥{amount}' },
  'applications.receipt.free': { ja: '無料', 'ja-easy': 'ただ', en: 'Free' },
  'applications.receipt.feeTotal': { ja: '手数料の合計：{amount}', 'ja-easy': 'おかねの ごうけい：{amount}', en: 'Total fees: {amount}' },
  'applications.receipt.nextHeading': { ja: '今後の流れ', 'ja-easy': 'このあと', en: 'What happens next' },
  'applications.receipt.next': {
    ja: '担当課が申請の内容を確認し、標準処理期間を目安に審査します。内容の確認のため、担当課からご連絡することがあります。標準処理期間は目安であり、書類の不足などにより長くなることがあります。',
    'ja-easy':
      'やくばの たんとうの ひとが しんせいを みます。「かかる ひにち」は だいたいの ひにち です。わからない ことが あると、やくばから れんらく します。',
    en: 'The department checks your application and aims to decide within the usual time shown. It may contact you if something needs clarifying; missing documents can make it take longer.',
  },
  'applications.receipt.status': {
    ja: '審査の状況と結果は、次のアドレスで確認できます。',
    'ja-easy': 'いま どう なって いるかは つぎの アドレスで みられます。',
    en: 'You can follow the status and see the decision here:',
  },
  'applications.receipt.keep': {
    ja: 'この受付票は、手続が終わるまで大切に保管してください。お問い合わせの際は受付番号をお知らせください。',
    'ja-easy': 'この かみは てつづきが おわるまで なくさないで ください。やくばに きく ときは うけつけ ばんごうを いって ください。',
    en: 'Please keep this receipt until the procedure is complete, and give the reference number when you contact us.',
  },
  'applications.receipt.footer': {
    ja: '{town}　申請受付票　受付番号 {reference}　{page} / {pages} ページ',
    'ja-easy': '{town}　うけつけ ばんごう {reference}　{page} / {pages} ページ',
    en: '{town} · Application receipt {reference} · page {page} of {pages}',
  },
});

export type ReceiptMessageKey = keyof typeof receiptMessages;
