/**
 * Messages of matching.ts: the differences between a card and a candidate that staff should
 * see. (The messages about the match as a whole, `counter.card.*`, are in messages.ts.)
 */
import { defineMessages } from '../../platform/i18n.js';

export const matchingMessages = defineMessages({
  'counter.match.name-glyph': {
    ja: '氏名の字形がカードと住民記録で異なります（例：髙と高）。住民記録の表記が正式です。',
    'ja-easy': 'なまえの かんじの かたちが カードと きろくで ちがいます。きろくの ほうが ただしい です。',
    en: 'The name is written in a different glyph on the card and in the register (e.g. 髙/高); the register is the record.',
  },
  'counter.match.address-differs': {
    ja: 'カードの住所が住民記録と異なります。現住所をご本人に確かめてください（カードの記載事項の変更が必要な場合があります）。',
    'ja-easy': 'カードの じゅうしょが きろくと ちがいます。いまの じゅうしょを きいて ください。',
    en: "The card's address differs from the register. Ask for the current address (the card's details may need updating).",
  },
  'counter.match.sex-differs': {
    ja: 'カードの性別が住民記録と異なります。ご本人に確かめてください。',
    'ja-easy': 'カードの せいべつが きろくと ちがいます。',
    en: 'The sex on the card differs from the register. Check with the person.',
  },
});
