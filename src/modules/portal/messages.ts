import { defineMessages } from '../../platform/i18n.js';

export const portalMessages = defineMessages({
  // Home
  'portal.home.title': { ja: 'オンライン窓口', 'ja-easy': 'オンラインの まどぐち', en: 'Online town hall' },
  'portal.home.lead': {
    ja: '町があなたについて記録している情報を、いつでも確かめられます。',
    'ja-easy': 'まちが もっている あなたの じょうほうを いつでも みる ことが できます。',
    en: 'See at any time what the town has on record about you.',
  },
  'portal.home.today': { ja: 'ここでできること', 'ja-easy': 'ここで できる こと', en: 'What you can do here' },
  'portal.home.procedures': { ja: '手続をオンラインで申請する', 'ja-easy': 'てつづきを インターネットで する', en: 'Apply online' },
  'portal.home.proceduresHint': {
    ja: '児童手当、妊娠の届出、保育施設の申込、要介護認定、罹災証明書、住民票の写しなど。町の記録にある氏名・住所・家族は最初から記入されています。',
    'ja-easy': 'じどうてあて、にんしんの とどけ、ほいくえん、かいご、りさいしょうめい、じゅうみんひょう など。なまえ・じゅうしょ・かぞくは まちが さきに かいて おきます。',
    en: 'Child allowance, pregnancy notification, childcare places, care needs, disaster certificates, residence certificates and more. Your name, address and family are filled in from the town’s records.',
  },
  'portal.home.lifeEvents': { ja: 'できごとからまとめて申請:', 'ja-easy': 'できごとから まとめて:', en: 'Everything for a life event:' },
  'portal.home.event.birth': { ja: '出生', 'ja-easy': 'こどもが うまれた', en: 'a birth' },
  'portal.home.event.move-in': { ja: '転入', 'ja-easy': 'ひっこして きた', en: 'moving in' },
  'portal.home.event.death': { ja: '死亡', 'ja-easy': 'かぞくが なくなった', en: 'a death' },
  'portal.home.event.disaster': { ja: '被災', 'ja-easy': 'さいがいに あった', en: 'a disaster' },
  'portal.home.me': { ja: 'わたしの情報を見る', 'ja-easy': 'わたしの じょうほうを みる', en: 'See my record' },
  'portal.home.meHint': {
    ja: '住民票に記録されている氏名・住所・世帯の情報を確認できます。',
    'ja-easy': 'なまえ、じゅうしょ、いっしょに すむ かぞくの じょうほうを みる ことが できます。',
    en: 'Check the name, address and household the town has registered for you.',
  },
  'portal.home.accessLog': { ja: 'わたしの情報を誰がいつ見たか', 'ja-easy': 'だれが いつ わたしの じょうほうを みたか', en: 'Who looked at my data, and when' },
  'portal.home.accessLogHint': {
    ja: '職員や連携システムがあなたの情報を見たときは、その日時と目的がすべて記録されています。',
    'ja-easy': 'しょくいんなどが あなたの じょうほうを みると、いつ、なぜ みたかが きろく されます。それを みる ことが できます。',
    en: 'Every time staff or a connected system look at your data, the time and purpose are recorded. You can read that record.',
  },
  'portal.home.signInFirst': {
    ja: 'ご利用にはサインインが必要です。',
    'ja-easy': 'つかう ときは はじめに サインイン して ください。',
    en: 'Please sign in to use these services.',
  },
  'portal.home.signIn': { ja: 'サインインする', 'ja-easy': 'サインイン する', en: 'Sign in' },
  'portal.home.signedIn': {
    ja: 'サインインしています。',
    'ja-easy': 'いま サインイン して います。',
    en: 'You are signed in.',
  },
  'portal.home.counter': {
    ja: 'オンラインでの手続が難しい場合は、役場の窓口でもお手伝いします。',
    'ja-easy': 'むずかしい ときは やくばの まどぐちに きて ください。てつだいます。',
    en: 'If doing this online is difficult, staff at the town hall counter will help you.',
  },
  'portal.home.staff': { ja: '職員の方はこちら', 'ja-easy': 'しょくいんの ひとは こちら', en: 'For town staff' },
  'portal.home.staffHome': { ja: '職員ポータルへ', 'ja-easy': 'しょくいんの ページへ', en: 'Go to the staff portal' },

  // Sign-in page
  'portal.signIn.title': { ja: '住民の方のサインイン', 'ja-easy': 'じゅうみんの サインイン', en: 'Sign in as a resident' },
  'portal.signIn.lead': {
    ja: 'ご本人であることを確認してから、あなたの情報を表示します。',
    'ja-easy': 'あなたが ほんにんか どうかを たしかめてから、じょうほうを みせます。',
    en: 'We confirm who you are before showing your information.',
  },
  'portal.signIn.oidcHeading': { ja: 'IDでサインイン', 'ja-easy': 'ID で サインイン', en: 'Sign in with your ID' },
  'portal.signIn.oidcHint': {
    ja: '町が契約している本人確認サービスの画面に移動します。サインイン後、この画面に戻ります。',
    'ja-easy': 'ほんにんを たしかめる ページに いきます。おわったら ここに もどります。',
    en: 'You will go to the identity service the town uses, then come back here.',
  },
  'portal.signIn.oidcButton': { ja: '本人確認サービスでサインイン', 'ja-easy': 'ほんにんを たしかめて サインイン', en: 'Sign in with the identity service' },
  'portal.signIn.demoHeading': { ja: 'デモ用のサインイン', 'ja-easy': 'れんしゅう（デモ）の サインイン', en: 'Demo sign-in' },
  'portal.signIn.demoHint': {
    ja: 'デモ環境だけの機能です。架空の住民を選んでサインインできます。',
    'ja-easy': 'これは れんしゅう（デモ）だけ です。ほんとうでは ない ひとを えらんで サインイン できます。',
    en: 'Only in the demo: choose a fictional resident to sign in as.',
  },
  'portal.signIn.demoLink': { ja: '架空の住民を選んでサインイン（デモ）', 'ja-easy': 'ほんとうでは ない ひとを えらぶ（デモ）', en: 'Choose a fictional resident (demo)' },
  'portal.signIn.none': {
    ja: 'この役場では、まだオンラインのサインインが設定されていません。役場の窓口でお手続きください。',
    'ja-easy': 'いまは インターネットで サインイン できません。やくばの まどぐちに きて ください。',
    en: 'Online sign-in is not set up at this town hall yet. Please visit the counter.',
  },
  'portal.signIn.already': {
    ja: 'すでにサインインしています。',
    'ja-easy': 'もう サインイン して います。',
    en: 'You are already signed in.',
  },
  'portal.signIn.continue': { ja: '続ける', 'ja-easy': 'つづける', en: 'Continue' },

  // OIDC results
  'portal.oidc.failedTitle': { ja: 'サインインできませんでした', 'ja-easy': 'サインイン できませんでした', en: 'Sign-in did not complete' },
  'portal.oidc.failed.state': {
    ja: 'サインインの手続が途中で切れたか、有効期限が切れました。もう一度最初からお試しください。',
    'ja-easy': 'サインインが とちゅうで きれました。はじめから もういちど して ください。',
    en: 'The sign-in was interrupted or took too long. Please start again.',
  },
  'portal.oidc.failed.idp': {
    ja: '本人確認サービスでサインインが中止されたか、拒否されました。',
    'ja-easy': 'ほんにんを たしかめる ページで サインインが とまりました。',
    en: 'The sign-in was cancelled or refused at the identity service.',
  },
  'portal.oidc.failed.exchange': {
    ja: '本人確認サービスからの応答を確認できませんでした。もう一度最初からお試しください。',
    'ja-easy': 'ほんにんを たしかめる ことが できませんでした。はじめから もういちど して ください。',
    en: 'The answer from the identity service could not be checked. Please start again.',
  },
  'portal.oidc.unavailableTitle': { ja: '本人確認サービスに接続できません', 'ja-easy': 'ほんにんを たしかめる ページに つながりません', en: 'The identity service cannot be reached' },
  'portal.oidc.unavailable': {
    ja: '時間をおいて再度お試しいただくか、役場の窓口でお手続きください。',
    'ja-easy': 'あとで もういちど して ください。やくばの まどぐちでも できます。',
    en: 'Please try again later, or visit the town hall counter.',
  },
  'portal.oidc.retry': { ja: 'サインインをやり直す', 'ja-easy': 'もういちど サインイン する', en: 'Start sign-in again' },
  'portal.oidc.unknownTitle': { ja: 'ご本人を確認できませんでした', 'ja-easy': 'あなたが だれか わかりませんでした', en: 'We could not identify you' },
  'portal.oidc.unknown': {
    ja: '本人確認サービスの氏名・生年月日と一致する住民の記録を、ひとつに特定できませんでした。お手数ですが、本人確認書類をお持ちのうえ役場の窓口にお越しください。',
    'ja-easy': 'なまえと うまれた ひが おなじ じゅうみんを ひとりに きめる ことが できませんでした。ほんにんと わかる カードを もって やくばの まどぐちに きて ください。',
    en: 'We could not match the name and date of birth from the identity service to exactly one resident record. Please visit the town hall counter with an identity document.',
  },

  // Demo sign-in
  'portal.demo.title': { ja: 'デモ用サインイン', 'ja-easy': 'れんしゅう（デモ）の サインイン', en: 'Demo sign-in' },
  'portal.demo.marking': { ja: 'デモ — 架空の住民です', 'ja-easy': 'デモ — ほんとうでは ない ひと です', en: 'Demo — these residents are fictional' },
  'portal.demo.lead': {
    ja: '以下はデモ用に作られた架空の住民です。実在の人物とは関係ありません。選んだ住民としてサインインし、住民向けの画面を試せます。',
    'ja-easy': 'ここに いる ひとは れんしゅうの ために つくった ひとです。ほんとうの ひとでは ありません。えらぶと その ひととして サインイン できます。',
    en: 'These residents were made up for the demo and are not real people. Sign in as one to try the resident pages.',
  },
  'portal.demo.recorded': {
    ja: 'この一覧の表示も、アクセス記録に残ります。',
    'ja-easy': 'この リストを みせた ことも きろく されます。',
    en: 'Showing this list is recorded in the access log too.',
  },
  'portal.demo.caption': { ja: '架空の住民（{count}人）', 'ja-easy': 'ほんとうでは ない ひと（{count}にん）', en: 'Fictional residents ({count})' },
  'portal.demo.name': { ja: '氏名', 'ja-easy': 'なまえ', en: 'Name' },
  'portal.demo.kana': { ja: 'フリガナ', 'ja-easy': 'よみかた', en: 'Reading' },
  'portal.demo.birthDate': { ja: '生年月日', 'ja-easy': 'うまれた ひ', en: 'Date of birth' },
  'portal.demo.household': { ja: '世帯人数', 'ja-easy': 'いっしょに すむ ひとの かず', en: 'Household size' },
  'portal.demo.members': { ja: '{count}人', 'ja-easy': '{count}にん', en: '{count}' },
  'portal.demo.action': { ja: '操作', 'ja-easy': 'えらぶ', en: 'Action' },
  'portal.demo.signInAs': { ja: 'この住民でサインイン', 'ja-easy': 'この ひとで サインイン', en: 'Sign in as this resident' },
  'portal.demo.signInAsLabel': { ja: '{name}（架空）でサインイン', 'ja-easy': '{name}（デモ）で サインイン', en: 'Sign in as {name} (fictional)' },
  'portal.demo.empty': {
    ja: 'デモ用の住民がまだ登録されていません。',
    'ja-easy': 'れんしゅう（デモ）の ひとが まだ いません。',
    en: 'No demo residents have been created yet.',
  },
});
