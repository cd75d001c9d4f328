/**
 * The words printed on the counter's forms. The forms are administrative documents and are
 * printed in Japanese; the other languages are here so staff screens can name them.
 */
import { defineMessages } from '../../platform/i18n.js';

export const printMessages = defineMessages({
  'counter.print.title': { ja: '窓口で作成した申請書', 'ja-easy': 'まどぐちで つくった しんせいしょ', en: 'Application forms made at the counter' },
  'counter.print.demo': { ja: 'デモ（架空のデータ）', 'ja-easy': 'デモ（ほんとうでは ない データ）', en: 'DEMO (fictional data)' },
  'counter.print.yes': { ja: 'はい', 'ja-easy': 'はい', en: 'Yes' },
  'counter.print.no': { ja: 'いいえ', 'ja-easy': 'いいえ', en: 'No' },
  'counter.print.addressee': { ja: '{town}長　様', 'ja-easy': '{town}ちょう さま', en: 'To the mayor of {town}' },
  'counter.print.noOfficialLayout': {
    ja: '{town}には、この手続の公式の様式（定められた用紙）がありません。この用紙は、窓口でお聞きした内容から自動で作成したものです。内容をお確かめのうえ、署名してください。',
    'ja-easy': '{town}には この てつづきの きまった ようしが ありません。この かみは、まどぐちで きいた ことから つくりました。よく みて、なまえを かいて ください。',
    en: '{town} has no official form for this procedure. This page was generated from what you told us at the counter. Please check it and sign.',
  },
  'counter.print.footer': {
    ja: '{town}　{title}（公式の様式がないため自動で作成）　{page} / {pages}',
    'ja-easy': '{town}　{title}（きまった ようしが ないので つくりました）　{page} / {pages}',
    en: '{town} · {title} (generated: no official form) · {page} / {pages}',
  },
  'counter.print.reference': { ja: '受付番号', 'ja-easy': 'うけつけ ばんごう', en: 'Reference number' },
  'counter.print.date': { ja: '申請日', 'ja-easy': 'しんせいした ひ', en: 'Date' },
  'counter.print.applicant': { ja: '申請者（窓口に来られた方）', 'ja-easy': 'しんせいする ひと（まどぐちに きた ひと）', en: 'Applicant (who came to the counter)' },
  'counter.print.name': { ja: '氏名', 'ja-easy': 'なまえ', en: 'Name' },
  'counter.print.address': { ja: '住所', 'ja-easy': 'じゅうしょ', en: 'Address' },
  'counter.print.contents': { ja: '申請の内容', 'ja-easy': 'しんせいの なかみ', en: 'What is applied for' },
  'counter.print.entry': { ja: '{group}（その{n}）', 'ja-easy': '{group}（{n}）', en: '{group} ({n})' },
  'counter.print.confirm': { ja: '上記の内容に相違ありません。', 'ja-easy': 'うえに かいた ことは ただしいです。', en: 'I confirm that the above is correct.' },
  'counter.print.signature': { ja: '署名', 'ja-easy': 'なまえ（じぶんで かく）', en: 'Signature' },
});
