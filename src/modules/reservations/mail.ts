/**
 * Mail to the booker, queued in the transaction of the change it reports (held, confirmed,
 * cancelled with the refund, released unpaid, a freed slot offered from the waiting list, a
 * late payment refunded). Only where the booker gave an address; names are never in it.
 */
import type { Queryable } from '../../platform/db/db.js';
import { isLocale, translator, type Locale } from '../../platform/i18n.js';
import { queueMail } from '../../platform/mail.js';
import type { BookingRow } from './booking-store.js';
import type { Facility } from './facility-store.js';
import { momentText, nameIn, whenText, yen } from './words.js';

export type BookingMail = 'held' | 'confirmed' | 'cancelled' | 'released' | 'offered' | 'late-refund';

export async function mailBooker(
  tx: Queryable,
  kind: BookingMail,
  b: Pick<BookingRow, 'id' | 'reference' | 'contact_email' | 'locale' | 'starts_at' | 'ends_at' | 'amount' | 'hold_until' | 'refund_amount' | 'unit_id'>,
  f: Facility,
  opts: { publicUrl: string; townName: string; refund?: number },
): Promise<boolean> {
  if (!b.contact_email) return false;
  const locale: Locale = isLocale(b.locale) ? b.locale : 'ja';
  const t = translator(locale);
  const unit = f.units.find((u) => u.id === b.unit_id);
  const what = f.kind === 'bus' || !unit ? nameIn(f, locale) : `${nameIn(f, locale)} ${nameIn(unit, locale)}`;
  const params = {
    town: opts.townName,
    reference: b.reference,
    facility: what,
    when: whenText(b.starts_at, b.ends_at, locale),
    amount: yen(b.amount, locale),
    until: b.hold_until ? momentText(b.hold_until, locale) : '',
    refund: yen(opts.refund ?? b.refund_amount ?? 0, locale),
    link: `${opts.publicUrl}/me/bookings/${b.id}`,
  };
  await queueMail(tx, {
    to: b.contact_email,
    subject: t(`reservations.mail.${kind}.subject`, params),
    text: `${t(`reservations.mail.${kind}.body`, params)}\n\n${t('reservations.mail.footer', params)}`,
    tag: `reservations.${kind}`,
    ref: b.reference,
  });
  return true;
}
