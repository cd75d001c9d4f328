/**
 * The lottery's mail to an entrant, queued in the draw's transaction: won (with the held
 * booking, what it costs and until when to pay) or not (with when the slots left over open
 * first come). Only where the entrant gave an address; no names in it.
 */
import type { Queryable } from '../../platform/db/db.js';
import { isLocale, translator, type Locale } from '../../platform/i18n.js';
import { queueMail } from '../../platform/mail.js';
import type { BookingRow } from './booking-store.js';
import type { Facility } from './facility-store.js';
import type { EntryRow, RoundRow } from './lottery-store.js';
import { momentText, nameIn, whenText, yen } from './words.js';

export async function mailEntrant(
  tx: Queryable,
  kind: 'won' | 'lost',
  e: Pick<EntryRow, 'id' | 'contact_email' | 'locale' | 'unit_id' | 'starts_at' | 'ends_at'>,
  f: Facility,
  round: Pick<RoundRow, 'id' | 'name_ja' | 'name_en'>,
  b: Pick<BookingRow, 'id' | 'reference' | 'amount' | 'hold_until' | 'state'> | undefined,
  opts: { publicUrl: string; townName: string },
): Promise<boolean> {
  if (!e.contact_email) return false;
  const locale: Locale = isLocale(e.locale) ? e.locale : 'ja';
  const t = translator(locale);
  const unit = f.units.find((u) => u.id === e.unit_id);
  const params = {
    town: opts.townName,
    round: locale === 'en' ? round.name_en : round.name_ja,
    facility: unit ? `${nameIn(f, locale)} ${nameIn(unit, locale)}` : nameIn(f, locale),
    when: whenText(e.starts_at, e.ends_at, locale),
    reference: b?.reference ?? '',
    amount: yen(b?.amount ?? 0, locale),
    until: b?.hold_until ? momentText(b.hold_until, locale) : '',
    link: b ? `${opts.publicUrl}/me/bookings/${b.id}` : `${opts.publicUrl}/lotteries/${round.id}`,
    result: `${opts.publicUrl}/lotteries/${round.id}`,
  };
  const which = kind === 'won' ? (b?.state === 'confirmed' ? 'won-free' : 'won') : 'lost';
  await queueMail(tx, {
    to: e.contact_email,
    subject: t(`reservations.lottery.mail.${which}.subject`, params),
    text: `${t(`reservations.lottery.mail.${which}.body`, params)}\n\n${kind === 'won' ? t('reservations.mail.footer', params) : t('reservations.lottery.mail.footer', params)}`,
    tag: `reservations.lottery-${kind}`,
    ref: b?.reference ?? `L-${round.id.slice(0, 8)}`,
  });
  return true;
}
