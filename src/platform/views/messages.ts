import { defineMessages } from '../i18n.js';

export const platformMessages = defineMessages({
  'app.name': { ja: 'やくば', 'ja-easy': 'やくば', en: 'yakuba' },
  'app.skip': { ja: '本文へ移動', 'ja-easy': 'ほんぶんへ いく', en: 'Skip to main content' },
  'app.demo': {
    ja: 'デモ環境です。表示される住民・職員はすべて架空のデータです。',
    'ja-easy': 'これは れんしゅう（デモ）です。ここに でる ひとは ほんとうの ひとでは ありません。',
    en: 'Demo environment. Every resident and staff member shown here is fictional.',
  },
  'app.nav': { ja: 'メニュー', 'ja-easy': 'メニュー', en: 'Menu' },
  'app.language': { ja: '表示言語', 'ja-easy': 'ことば', en: 'Language' },
  'app.lang.ja': { ja: '日本語', 'ja-easy': 'にほんご', en: '日本語 (Japanese)' },
  'app.lang.ja-easy': { ja: 'やさしい日本語', 'ja-easy': 'やさしい にほんご', en: 'やさしい日本語 (Easy Japanese)' },
  'app.lang.en': { ja: 'English', 'ja-easy': 'English', en: 'English' },
  'app.footer': {
    ja: 'やくば — 町が自ら持つデジタル役場。個人情報の閲覧はすべて記録されます。',
    'ja-easy': 'やくば — まちの デジタルの やくば です。じょうほうを みた ひとは すべて きろく されます。',
    en: 'yakuba — the digital town hall the town owns. Every look at personal data is recorded.',
  },
  'app.signOut': { ja: 'サインアウト', 'ja-easy': 'おわる（サインアウト）', en: 'Sign out' },
  'app.signedInAs': { ja: '{name} さん', 'ja-easy': '{name} さん', en: '{name}' },
  'error.title': { ja: 'エラー', 'ja-easy': 'エラー', en: 'Error' },
  'error.404': { ja: 'ページが見つかりません', 'ja-easy': 'ページが ありません', en: 'Page not found' },
  'error.403': { ja: 'この操作は許可されていません', 'ja-easy': 'これは できません', en: 'You are not allowed to do this' },
  'error.401': { ja: 'サインインが必要です', 'ja-easy': 'サインイン して ください', en: 'Please sign in' },
  'error.400': { ja: '入力内容を確認してください', 'ja-easy': 'いれた ことを たしかめて ください', en: 'Please check what you entered' },
  'error.500': {
    ja: '申し訳ありません。問題が発生しました。時間をおいて再度お試しください。',
    'ja-easy': 'ごめんなさい。もんだいが おきました。あとで もういちど して ください。',
    en: 'Sorry, something went wrong. Please try again later.',
  },
  'error.requestId': { ja: '問い合わせ番号: {id}', 'ja-easy': 'といあわせ ばんごう: {id}', en: 'Reference: {id}' },
  'error.back': { ja: 'トップページへ戻る', 'ja-easy': 'はじめの ページへ もどる', en: 'Back to the home page' },
  'pager.next': { ja: '次へ', 'ja-easy': 'つぎへ', en: 'Next' },
  'pager.first': { ja: '最初へ', 'ja-easy': 'さいしょへ', en: 'First page' },
});
