/** The words of the decision notice (決定通知書) PDF and of the public /verify pages, in ja, ja-easy and en. */
import { defineMessages } from '../../platform/i18n.js';

export const noticeMessages = defineMessages({
  // ---- the notice (issued in Japanese; the other languages keep the catalogue whole) ----
  'cases.notice.document': { ja: '決定通知書', 'ja-easy': 'きまった ことの おしらせ', en: 'Decision notice' },
  'cases.notice.title': { ja: '{procedure}　決定通知書', 'ja-easy': '{procedure}　きまった ことの おしらせ', en: 'Decision notice: {procedure}' },
  'cases.notice.number': { ja: '通知番号　{reference}', 'ja-easy': 'ばんごう　{reference}', en: 'Notice no. {reference}' },
  'cases.notice.issuer': { ja: '{town}長', 'ja-easy': '{town}ちょう', en: 'Mayor of {town}' },
  'cases.notice.issuerDepartment': { ja: '（担当　{department}）', 'ja-easy': '（たんとう　{department}）', en: '(handled by {department})' },
  'cases.notice.postal': { ja: '〒{code}', 'ja-easy': '〒{code}', en: '{code}' },
  'cases.notice.addressee': { ja: '{name}　様', 'ja-easy': '{name}　さま', en: '{name}' },
  'cases.notice.anonymous': { ja: '申請者　様', 'ja-easy': 'しんせいした かた', en: 'The applicant' },
  'cases.notice.anonymousAddress': {
    ja: '（申請の際にお知らせいただいた連絡先あて）',
    'ja-easy': '（しんせいの ときに おしえて もらった れんらくさき）',
    en: '(sent to the contact given with the application)',
  },
  'cases.notice.body': {
    ja: '{received}付けで申請のあった{procedure}について、次のとおり決定したので通知します。',
    'ja-easy': '{received}に しんせいが あった {procedure}について、つぎの ように きめましたので おしらせ します。',
    en: 'On the application for {procedure} received on {received}, we have decided as follows.',
  },
  'cases.notice.row.subject': { ja: '対象者', 'ja-easy': 'たいしょうの ひと', en: 'Person concerned' },
  'cases.notice.row.reference': { ja: '受付番号', 'ja-easy': 'うけつけ ばんごう', en: 'Reference number' },
  'cases.notice.row.received': { ja: '申請日', 'ja-easy': 'しんせいした ひ', en: 'Received' },
  'cases.notice.row.decision': { ja: '決定の内容', 'ja-easy': 'きまった こと', en: 'Decision' },
  'cases.notice.row.reason': { ja: '理由', 'ja-easy': 'りゆう', en: 'Reasons' },
  'cases.notice.decision.approved': { ja: '承認', 'ja-easy': 'みとめます', en: 'Approved' },
  'cases.notice.decision.rejected': { ja: '不承認', 'ja-easy': 'みとめません', en: 'Not approved' },
  'cases.notice.appeal.heading': { ja: '教示', 'ja-easy': 'ふふくが ある とき', en: 'If you disagree (how to appeal)' },
  'cases.notice.appeal.review': {
    ja: '1　この決定に不服がある場合は、この決定があったことを知った日の翌日から起算して3か月以内に、{town}長に対して審査請求をすることができます（行政不服審査法第2条及び第18条第1項）。ただし、この決定があったことを知った日の翌日から起算して3か月以内であっても、この決定の日の翌日から起算して1年を経過すると、正当な理由があるときを除き、審査請求をすることができなくなります（同法第18条第2項）。',
    'ja-easy':
      '1　この けっていに なっとく できない ときは、けっていを しった つぎの ひから 3かげつ いないに、{town}ちょうに「しんさせいきゅう」が できます。けっていの つぎの ひから 1ねんが すぎると、できなく なります。',
    en: '1. If you disagree with this decision, you may request a review (審査請求) by the Mayor of {town} within three months from the day after you learned of it (Administrative Complaint Review Act, arts. 2 and 18(1)). Even within those three months, no request can be made once one year has passed from the day after the decision, unless there is a justifiable reason (art. 18(2)).',
  },
  'cases.notice.appeal.suit': {
    ja: '2　この決定の取消しを求める訴え（取消訴訟）は、この決定があったことを知った日から6か月以内に、{town}を被告として（訴訟において{town}を代表する者は{town}長となります。）提起することができます（行政事件訴訟法第14条第1項）。ただし、この決定があったことを知った日から6か月以内であっても、この決定の日から1年を経過すると、正当な理由があるときを除き、取消訴訟を提起することができなくなります（同条第2項）。',
    'ja-easy':
      '2　この けっていを とりけす ための さいばん（とりけし そしょう）は、けっていを しった つぎの ひから 6かげつ いないに、{town}を あいてに おこせます。けっていの つぎの ひから 1ねんが すぎると、できなく なります。',
    en: '2. An action to revoke this decision (取消訴訟) may be brought against {town} (represented in court by the Mayor of {town}) within six months of learning of it (Administrative Case Litigation Act, art. 14(1)). Even within those six months, no action can be brought once one year has passed since the decision, unless there is a justifiable reason (art. 14(2)).',
  },
  'cases.notice.appeal.afterReview': {
    ja: '3　審査請求をした場合には、取消訴訟は、その審査請求に対する裁決があったことを知った日から6か月以内に提起することができます。ただし、裁決の日から1年を経過すると、正当な理由があるときを除き、提起することができなくなります（同条第3項）。',
    'ja-easy':
      '3　しんさせいきゅうを した ときは、その こたえを しった つぎの ひから 6かげつ いないに さいばんを おこせます。こたえの つぎの ひから 1ねんが すぎると、できなく なります。',
    en: '3. If you requested a review, the action may be brought within six months of learning of the ruling on it, and not once one year has passed since the ruling, unless there is a justifiable reason (art. 14(3)).',
  },
  'cases.notice.seals.heading': { ja: '電子決裁', 'ja-easy': 'でんしの はんこ', en: 'Electronic approval' },
  'cases.notice.seals.lead': {
    ja: 'この決定は、次の職員による電子決裁を経ています（印影は電子的に表示したものです）。',
    'ja-easy': 'この けっていは、つぎの しょくいんが でんしの はんこで みとめました。',
    en: 'This decision was approved electronically by the staff below (the seals are drawn electronically).',
  },
  'cases.notice.seal.deputy': { ja: '代', 'ja-easy': 'だい', en: 'D' },
  'cases.notice.seal.onBehalf': { ja: '（{name}の代決）', 'ja-easy': '（{name}の かわり）', en: '(for {name})' },
  'cases.notice.verify': {
    ja: 'この通知書の真正性は次のページで確認できます:',
    'ja-easy': 'この おしらせが ほんものか どうかは、つぎの ページで たしかめられます:',
    en: 'Check that this notice is genuine at:',
  },
  'cases.notice.hash': { ja: '照合番号（SHA-256）', 'ja-easy': 'たしかめる ための ばんごう', en: 'Verification number (SHA-256)' },
  'cases.notice.demo': { ja: 'デモ（架空のデータ）', 'ja-easy': 'デモ（ほんとうでは ない データ）', en: 'DEMO (fictional data)' },
  'cases.notice.footer': {
    ja: '{town}　決定通知書　通知番号 {reference}　{page} / {pages} ページ',
    'ja-easy': '{town}　おしらせ　ばんごう {reference}　{page} / {pages} ページ',
    en: '{town} · Decision notice {reference} · page {page} of {pages}',
  },
  'cases.notice.combined': { ja: '決定通知書（一括印刷）', 'ja-easy': 'おしらせ（まとめて いんさつ）', en: 'Decision notices (print run)' },

  // ---- the public /verify pages ----
  'cases.verify.title': { ja: '決定通知書の確認', 'ja-easy': 'おしらせが ほんものか たしかめる', en: 'Check a decision notice' },
  'cases.verify.lead': {
    ja: '町が発行した決定通知書かどうかを確認できます。通知書の下に印刷された照合番号を入力するか、受け取ったPDFファイルを選んでください。サインインは不要です。',
    'ja-easy': 'まちが だした おしらせか どうかを たしかめられます。おしらせの したに ある ばんごうを いれるか、PDFの ファイルを えらんで ください。',
    en: 'Check whether a decision notice was issued by the town: type the verification number printed at the bottom of the notice, or choose the PDF file you received. No sign-in is needed.',
  },
  'cases.verify.byHash': { ja: '照合番号で確認する', 'ja-easy': 'ばんごうで たしかめる', en: 'Check by verification number' },
  'cases.verify.hash.label': { ja: '照合番号', 'ja-easy': 'ばんごう', en: 'Verification number' },
  'cases.verify.hash.hint': {
    ja: '0〜9とa〜fからなる64文字です。空白や改行は入っていても構いません。',
    'ja-easy': '0〜9と a〜f の 64もじ です。あいだの くうはくは あっても だいじょうぶ です。',
    en: '64 characters, 0–9 and a–f. Spaces and line breaks are ignored.',
  },
  'cases.verify.hash.submit': { ja: '確認する', 'ja-easy': 'たしかめる', en: 'Check' },
  'cases.verify.byFile': { ja: 'PDFファイルで確認する', 'ja-easy': 'PDFの ファイルで たしかめる', en: 'Check the PDF file' },
  'cases.verify.file.label': { ja: '決定通知書のPDFファイル', 'ja-easy': 'おしらせの PDFファイル', en: 'The decision notice as a PDF file' },
  'cases.verify.file.hint': {
    ja: '受け取ったままのファイルを選んでください。ファイルは照合にだけ使い、保存しません。紙をスキャンしたファイルは照合できません。',
    'ja-easy': 'うけとった ままの ファイルを えらんで ください。ファイルは のこしません。',
    en: 'Choose the file as you received it. It is only compared, never kept. A scan of a printed notice cannot be matched: type its number instead.',
  },
  'cases.verify.file.submit': { ja: 'ファイルを確認する', 'ja-easy': 'ファイルを たしかめる', en: 'Check the file' },
  'cases.verify.file.missing': { ja: 'PDFファイルを選んでください。', 'ja-easy': 'ファイルを えらんで ください。', en: 'Choose a PDF file.' },
  'cases.verify.file.tooLarge': {
    ja: 'ファイルが大きすぎます（決定通知書は{max}MB以下です）。',
    'ja-easy': 'ファイルが おおきすぎます（{max}MBまで）。',
    en: 'The file is too large (a decision notice is at most {max} MB).',
  },
  'cases.verify.found': { ja: 'この決定通知書は{town}が発行したものです', 'ja-easy': 'この おしらせは {town}が だした ものです', en: 'This decision notice was issued by {town}' },
  'cases.verify.found.lead': {
    ja: 'お手元の通知書の内容が次の記録と一致することを確認してください。宛先などの個人情報はここには表示しません。',
    'ja-easy': 'てもとの おしらせと おなじか たしかめて ください。なまえや じゅうしょは ここには でません。',
    en: 'Make sure the notice you hold says the same as the record below. Personal details such as the addressee are not shown here.',
  },
  'cases.verify.fileMatches': {
    ja: '選ばれたファイルは、発行された決定通知書のPDFと1バイトも違わず一致します。',
    'ja-easy': 'えらんだ ファイルは、まちが だした おしらせと まったく おなじ です。',
    en: 'The file you chose is identical, byte for byte, to the PDF of the notice as issued.',
  },
  'cases.verify.demo': { ja: 'これはデモ用の架空の通知書です。', 'ja-easy': 'これは デモの おしらせ です。ほんものでは ありません。', en: 'This is a fictional notice of the demo.' },
  'cases.verify.fact.issuer': { ja: '発行者', 'ja-easy': 'だした ところ', en: 'Issued by' },
  'cases.verify.fact.reference': { ja: '通知番号（受付番号）', 'ja-easy': 'ばんごう', en: 'Notice (reference) number' },
  'cases.verify.fact.procedure': { ja: '手続', 'ja-easy': 'てつづき', en: 'Procedure' },
  'cases.verify.fact.department': { ja: '担当課', 'ja-easy': 'たんとうの かかり', en: 'Department' },
  'cases.verify.fact.decision': { ja: '決定の内容', 'ja-easy': 'きまった こと', en: 'Decision' },
  'cases.verify.fact.issuedAt': { ja: '発行日時', 'ja-easy': 'だした ひと じかん', en: 'Issued' },
  'cases.verify.fact.hash': { ja: '照合番号', 'ja-easy': 'ばんごう', en: 'Verification number' },
  'cases.verify.seals': { ja: '電子決裁', 'ja-easy': 'でんしの はんこ', en: 'Electronic approval' },
  'cases.verify.seals.caption': { ja: '起案し、決裁した職員と日時です。', 'ja-easy': 'きめた しょくいんと ひにち です。', en: 'Who proposed and approved the decision, and when.' },
  'cases.verify.problem': { ja: '次の点を確かめてください', 'ja-easy': 'つぎを たしかめて ください', en: 'Please check' },
  'cases.verify.seal.onBehalf': { ja: '{name}の代決', 'ja-easy': '{name}の かわり', en: 'on behalf of {name}' },
  'cases.verify.notFound': { ja: 'この照合番号の決定通知書はありません', 'ja-easy': 'この ばんごうの おしらせは ありません', en: 'No decision notice has this number' },
  'cases.verify.notFound.body': {
    ja: '{town}は、この照合番号の決定通知書を発行していません。番号を打ち間違えていないか確かめてください。番号が正しいのに見つからない場合、通知書が偽造または改ざんされたおそれがあります。通知書に書かれた担当課ではなく、町の代表番号にお問い合わせください。',
    'ja-easy': '{town}は この ばんごうの おしらせを だして いません。ばんごうを もう いちど たしかめて ください。ただしい ばんごうで みつからない ときは、にせものの おそれが あります。やくばに きいて ください。',
    en: '{town} has issued no decision notice with this number. Check that it was typed correctly. If it was, the notice may be forged or altered: ask the town hall, using its main number rather than one printed on the notice.',
  },
  'cases.verify.fileNotFound': { ja: 'このファイルと一致する決定通知書はありません', 'ja-easy': 'この ファイルと おなじ おしらせは ありません', en: 'No decision notice matches this file' },
  'cases.verify.fileNotFound.body': {
    ja: '選ばれたファイルは、{town}が発行したどの決定通知書のPDFとも一致しません。受け取ったファイルを変更せずに選んでいるか確かめてください（保存し直したり印刷し直したりしたファイルは一致しません）。通知書に印刷された照合番号でも確認できます。',
    'ja-easy': 'えらんだ ファイルは、{town}が だした おしらせと ちがいます。うけとった ままの ファイルか たしかめて ください。ばんごうでも たしかめられます。',
    en: 'The file you chose matches no decision notice issued by {town}. Make sure it is the file as you received it (a file saved again or re-printed to PDF will not match). You can also check the number printed on the notice.',
  },
  'cases.verify.malformed': { ja: '照合番号の形が正しくありません', 'ja-easy': 'ばんごうの かたちが ちがいます', en: 'That is not a verification number' },
  'cases.verify.malformed.body': {
    ja: '照合番号は、0〜9とa〜fからなる64文字です（入力は{length}文字でした）。通知書の下の「照合番号」をもう一度確かめてください。',
    'ja-easy': 'ばんごうは 0〜9と a〜f の 64もじ です（いれたのは {length}もじ でした）。もう いちど たしかめて ください。',
    en: 'A verification number is 64 characters, 0–9 and a–f (what was given has {length}). Check the number at the bottom of the notice again.',
  },
  'cases.verify.again': { ja: '別の通知書を確認する', 'ja-easy': 'ほかの おしらせを たしかめる', en: 'Check another notice' },
});

export type NoticeMessageKey = keyof typeof noticeMessages;
