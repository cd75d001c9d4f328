import { defineMessages } from '../../platform/i18n.js';

export const accessMessages = defineMessages({
  'staff.signIn.title': { ja: '職員サインイン', 'ja-easy': 'しょくいんの サインイン', en: 'Staff sign-in' },
  'staff.signIn.lead': {
    ja: '個人のアカウントでサインインしてください。操作はすべて記録されます。',
    'ja-easy': 'じぶんの アカウントで サインイン して ください。すること は すべて きろく されます。',
    en: 'Sign in with your own account. Everything you do is recorded.',
  },
  'staff.signIn.login': { ja: 'ログインID', 'ja-easy': 'ログインID', en: 'Login ID' },
  'staff.signIn.password': { ja: 'パスワード', 'ja-easy': 'パスワード', en: 'Password' },
  'staff.signIn.submit': { ja: 'サインイン', 'ja-easy': 'サインイン', en: 'Sign in' },
  'staff.signIn.invalidOrLocked': {
    ja: 'ログインIDまたはパスワードが正しくありません。失敗が続くと、アカウントは15分間ロックされます。',
    'ja-easy': 'ログインID か パスワードが ちがいます。なんども まちがえると 15ふん つかえなく なります。',
    en: 'The login ID or password is not correct. After repeated failures an account is locked for 15 minutes.',
  },
  'staff.signIn.demo': {
    ja: 'デモ環境の職員アカウント（パスワードはすべて {password}）:',
    'ja-easy': 'デモの しょくいんの アカウント（パスワードは ぜんぶ {password}）:',
    en: 'Demo staff accounts (the password of each is {password}):',
  },
  'staff.purpose.required': { ja: '利用目的を選んでください。', 'ja-easy': 'りゆうを えらんで ください。', en: 'Choose a purpose.' },
  'staff.signIn.required': { ja: '{field}を入力してください。', 'ja-easy': '{field}を いれて ください。', en: 'Enter your {field}.' },
  'staff.signIn.errorTitle': { ja: '入力内容に問題があります', 'ja-easy': 'いれた ことに もんだいが あります', en: 'There is a problem' },
  'staff.purpose.title': { ja: '利用目的の選択', 'ja-easy': 'つかう りゆうを えらぶ', en: 'Choose the purpose' },
  'staff.purpose.lead': {
    ja: 'これから行う業務の目的を選んでください。個人情報の閲覧はこの目的とともに記録されます。',
    'ja-easy': 'これから する しごとの りゆうを えらんで ください。みた じょうほうは りゆうと いっしょに きろく されます。',
    en: 'Choose the purpose of the task you are about to do. Every look at personal data is recorded with it.',
  },
  'staff.purpose.legend': { ja: '利用目的', 'ja-easy': 'つかう りゆう', en: 'Purpose' },
  'staff.purpose.submit': { ja: 'この目的で始める', 'ja-easy': 'この りゆうで はじめる', en: 'Start with this purpose' },
  'staff.purpose.current': { ja: '現在の利用目的: {purpose}', 'ja-easy': 'いまの りゆう: {purpose}', en: 'Current purpose: {purpose}' },
  'staff.purpose.change': { ja: '目的を変更', 'ja-easy': 'りゆうを かえる', en: 'Change purpose' },
  'staff.purpose.none': {
    ja: 'あなたのアカウントには個人情報を閲覧できる目的が付与されていません。',
    'ja-easy': 'あなたの アカウントでは ひとの じょうほうを みる ことが できません。',
    en: 'Your account has no purpose that allows reading personal data.',
  },
  'staff.home.title': { ja: '職員ポータル', 'ja-easy': 'しょくいんの ページ', en: 'Staff portal' },
  'staff.home.roles': { ja: '役割: {roles}', 'ja-easy': 'やくわり: {roles}', en: 'Roles: {roles}' },
  'nav.staffHome': { ja: '職員ポータル', 'ja-easy': 'しょくいんの ページ', en: 'Staff portal' },
  'nav.staffSignIn': { ja: '職員サインイン', 'ja-easy': 'しょくいん', en: 'Staff sign-in' },
});

/** Purpose names on screen, by code (the table holds ja and en; ja-easy lives here). */
export const purposeMessages = defineMessages({
  'purpose.counter-service': { ja: '窓口での手続', 'ja-easy': 'まどぐちの てつづき', en: 'Counter service' },
  'purpose.application-review': { ja: '申請の審査', 'ja-easy': 'しんせいを しらべる', en: 'Application review' },
  'purpose.registry-maintenance': { ja: '住民記録の維持', 'ja-easy': 'じゅうみんの きろくを ただしく する', en: 'Registry maintenance' },
  'purpose.disaster-support': { ja: '災害時の支援', 'ja-easy': 'さいがいの ときの てだすけ', en: 'Disaster support' },
  'purpose.audit': { ja: '監査', 'ja-easy': 'きろくの チェック', en: 'Audit' },
  'purpose.application-intake': { ja: '申請の受付', 'ja-easy': 'しんせいの うけつけ', en: 'Application intake' },
  'purpose.self-service': { ja: 'ご本人による確認', 'ja-easy': 'ほんにんが みる', en: 'Seen by the person themselves' },
  'role.counter-clerk': { ja: '窓口担当', 'ja-easy': 'まどぐちの かかり', en: 'Counter clerk' },
  'role.case-officer': { ja: '審査担当', 'ja-easy': 'しんさの かかり', en: 'Case officer' },
  'role.approver': { ja: '決裁者', 'ja-easy': 'きめる ひと', en: 'Approver' },
  'role.auditor': { ja: '監査担当', 'ja-easy': 'チェックの かかり', en: 'Auditor' },
  'role.administrator': { ja: 'システム管理者', 'ja-easy': 'システムの かんりしゃ', en: 'Administrator' },
});
