/**
 * The one screen of a visit: who came (and their household), the procedures asking only
 * what remains, printing and signing, receiving, certificates with their fees, the end.
 */
import { CsrfField, Layout, TableWrap, type PageContext } from '../../../platform/views/layout.js';
import { DeskForms, type DeskItem } from '../../applications/index.js';
import type { CounterPerson } from '../../registry/index.js';
import type { CertificateKind } from '../certificates.js';
import type { FeeRow, VisitRow } from '../store.js';
import { clock, CounterStyles, fullName, MomentText, PersonFacts, yen } from './common.js';

export interface VisitModel {
  visit: VisitRow;
  person: CounterPerson & { household: CounterPerson[] };
  items: readonly DeskItem[];
  /** Procedures the clerk can add (name by code). */
  procedures: { code: string; name: string }[];
  certificates: readonly CertificateKind[];
  fees: readonly FeeRow[];
  sent: { reference: string; procedure: string }[];
  /** Fees of the procedures not sent yet (counted when they are received). */
  pendingFees: { name: string; subjectId: string | null; copies: number; unitFee: number }[];
  /** Lines to show on top: what was refused, saved, or went wrong. */
  notices: string[];
  problems: string[];
  showErrors: boolean;
  idempotencyKey: string;
  /** Whether the signature covers the forms as they are now. */
  signature: 'valid' | 'stale' | 'none';
}

/** Whom a procedure or certificate is for: the visitor or a member of their household. */
function SubjectSelect({ id, label, people }: { id: string; label: string; people: readonly CounterPerson[] }) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} name="subjectId">
        {people.map((p) => (
          <option key={p.id} value={p.id}>
            {fullName(p)}
          </option>
        ))}
      </select>
    </div>
  );
}

export function VisitPage({ ctx, m }: { ctx: PageContext; m: VisitModel }) {
  const { t, locale } = ctx;
  const v = m.visit;
  const base = `/staff/counter/visits/${v.id}`;
  const open = v.state === 'open';
  const people = [m.person, ...m.person.household.filter((h) => h.id !== m.person.id)];
  const nameOf = new Map(people.map((p) => [p.id, fullName(p)]));
  const openItems = m.items.reduce((n, i) => n + i.issues.length, 0);
  const missing = m.items.reduce((n, i) => n + i.missingAttachments.length, 0);
  const needs = [
    m.items.length === 0 ? t('counter.visit.send.needs.procedure') : '',
    openItems > 0 ? t('counter.visit.send.needs.items') : '',
    missing > 0 ? t('counter.visit.send.needs.attachments') : '',
    m.signature !== 'valid' ? t('counter.visit.send.needs.sign') : '',
  ].filter(Boolean);
  const total = m.fees.reduce((n, f) => n + f.amount, 0) + m.pendingFees.reduce((n, f) => n + f.copies * f.unitFee, 0);
  const feeName = (f: FeeRow) =>
    f.kind === 'certificate'
      ? (m.certificates.find((c) => c.code === f.code)?.names[locale] ?? f.code)
      : t('counter.visit.fees.procedure', { name: m.procedures.find((p) => p.code === f.code)?.name ?? f.code });
  return (
    <Layout ctx={ctx} title={`${m.problems.length ? t('applications.page.errors.titlePrefix') : ''}${t('counter.visit.title', { reference: v.reference })}`}>
      <CounterStyles />
      <div class="counter-wide">
        <h1>{t('counter.visit.title', { reference: v.reference })}</h1>
        <p>{t('counter.visit.facts', { state: t(`counter.state.${v.state}`), how: t(`counter.startedBy.${v.started_by}`), time: clock(v.started_at) })}</p>
        {m.problems.length > 0 && (
          <div class="error-summary" role="alert" aria-labelledby="problems-h" tabIndex={-1}>
            <h2 id="problems-h">{t('counter.visit.problem.title')}</h2>
            <ul>
              {m.problems.map((p, i) => (
                <li key={i}>{p}</li>
              ))}
            </ul>
          </div>
        )}
        {m.notices.map((n, i) => (
          <p class="notice" role="status" key={i}>
            {n}
          </p>
        ))}
        <section class="counter-person" aria-labelledby="person-h">
          <h2 id="person-h">{t('counter.visit.person')}</h2>
          <PersonFacts t={t} locale={locale} p={m.person} />
          {m.person.household.length > 1 && (
            <details>
              <summary>
                {t('counter.visit.household')}（{m.person.household.length}）
              </summary>
              <ul>
                {m.person.household.map((h) => (
                  <li key={h.id}>
                    {fullName(h)}（{h.relationToHead}）
                  </li>
                ))}
              </ul>
            </details>
          )}
        </section>
        <div class="counter-steps">
          <section aria-labelledby="step1">
            <h2 id="step1">{t('counter.visit.step1')}</h2>
            {open && <p>{t('counter.visit.step1.lead')}</p>}
            {open && (
              <form method="post" action={`${base}/procedures`} class="counter-inline">
                <CsrfField token={ctx.csrfToken} />
                <div class="field">
                  <label for="procedure">{t('counter.visit.add.procedure')}</label>
                  <select id="procedure" name="procedure">
                    {m.procedures.map((p) => (
                      <option key={p.code} value={p.code}>
                        {p.name}
                      </option>
                    ))}
                  </select>
                </div>
                <SubjectSelect id="subjectId" label={t('counter.visit.add.subject')} people={people} />
                <button type="submit" class="secondary">
                  {t('counter.visit.add.submit')}
                </button>
              </form>
            )}
            {m.items.length === 0 ? (
              <p>{t('counter.visit.none')}</p>
            ) : open ? (
              <form method="post" action={`${base}/answers`} novalidate>
                <CsrfField token={ctx.csrfToken} />
                <DeskForms
                  t={t}
                  locale={locale}
                  m={{ items: m.items, subjectNames: nameOf, showErrors: m.showErrors, fullFormHref: (id) => `/applications/drafts/${id}`, removeAction: (id) => `${base}/procedures/${id}/remove` }}
                />
                {openItems > 0 && <p>{t('counter.visit.open', { n: openItems })}</p>}
                <button type="submit" id="save-answers">
                  {t('counter.visit.save')}
                </button>
              </form>
            ) : null}
            {m.sent.length > 0 && (
              <>
                <h3>{t('counter.visit.sent.list')}</h3>
                <ul>
                  {m.sent.map((s) => (
                    <li key={s.reference}>
                      {s.reference} {s.procedure}
                    </li>
                  ))}
                </ul>
              </>
            )}
          </section>
          {v.state !== 'abandoned' && (
            <section aria-labelledby="step2">
              <h2 id="step2">{t('counter.visit.step2')}</h2>
              {open && <p>{t('counter.visit.step2.lead')}</p>}
              <p>{v.prints > 0 ? t('counter.visit.printed', { prints: v.prints, pages: v.pages_printed }) : t('counter.visit.notPrinted')}</p>
              {((open && m.items.length > 0) || (!open && m.sent.length > 0)) && (
                <form method="post" action={`${base}/print`} target="_blank">
                  <CsrfField token={ctx.csrfToken} />
                  <button type="submit" class="secondary" id="print-forms">
                    {open ? t('counter.visit.print') : t('counter.visit.printSent')}
                  </button>
                </form>
              )}
              <p>
                {m.signature === 'stale'
                  ? t('counter.visit.signed.stale')
                  : v.signed_on === 'tablet'
                    ? t('counter.visit.signed.tablet', { time: v.signed_at ? clock(v.signed_at) : '' })
                    : v.signed_on === 'paper'
                      ? t('counter.visit.signed.paper', { time: v.signed_at ? clock(v.signed_at) : '' })
                      : t('counter.visit.unsigned')}
              </p>
              {v.signed_on === 'tablet' && m.signature === 'valid' && <img class="counter-sign-img" src={`${base}/signature.png?v=${v.lock_version}`} alt={t('counter.visit.signature')} />}
              {open && m.items.length > 0 && (
                <div class="counter-inline">
                  <a class="button secondary" href={`${base}/sign`} id="sign-tablet">
                    {t('counter.visit.sign.tablet')}
                  </a>
                  <form method="post" action={`${base}/sign`}>
                    <CsrfField token={ctx.csrfToken} />
                    <input type="hidden" name="how" value={m.signature === 'valid' ? 'clear' : 'paper'} />
                    <button type="submit" class="secondary">
                      {m.signature === 'valid' ? t('counter.visit.sign.clear') : t('counter.visit.sign.paper')}
                    </button>
                  </form>
                </div>
              )}
            </section>
          )}
          {open && (
            <section aria-labelledby="step3">
              <h2 id="step3">{t('counter.visit.step3')}</h2>
              {needs.length > 0 && <p>{t('counter.visit.send.needs', { what: needs.join('、') })}</p>}
              <form method="post" action={`${base}/send`}>
                <CsrfField token={ctx.csrfToken} />
                <input type="hidden" name="idempotencyKey" value={m.idempotencyKey} />
                <button type="submit" id="send-visit">
                  {t('counter.visit.send')}
                </button>
              </form>
            </section>
          )}
          <section aria-labelledby="step4">
            <h2 id="step4">{t('counter.visit.step4')}</h2>
            {(open || v.state === 'sent') && m.certificates.length > 0 && (
              <form method="post" action={`${base}/certificates`} class="counter-inline">
                <CsrfField token={ctx.csrfToken} />
                <div class="field">
                  <label for="certificate">{t('counter.visit.certificate')}</label>
                  <select id="certificate" name="code">
                    {m.certificates.map((c) => (
                      <option key={c.code} value={c.code}>
                        {c.names[locale]}（{yen(c.fee)}）
                      </option>
                    ))}
                  </select>
                </div>
                <SubjectSelect id="cert-subject" label={t('counter.visit.add.subject')} people={people} />
                <div class="field">
                  <label for="copies">{t('counter.visit.copies')}</label>
                  <input id="copies" name="copies" type="number" min={1} max={20} value="1" class="short" inputMode="numeric" />
                </div>
                <button type="submit" class="secondary">
                  {t('counter.visit.certificate.add')}
                </button>
              </form>
            )}
            <h3>{t('counter.visit.fees')}</h3>
            {m.fees.length + m.pendingFees.length === 0 ? (
              <p>{t('counter.visit.fees.none')}</p>
            ) : (
              <TableWrap label={t('counter.visit.fees')}>
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t('counter.visit.fees.item')}</th>
                      <th scope="col">{t('counter.visit.fees.for')}</th>
                      <th scope="col">{t('counter.visit.copies')}</th>
                      <th scope="col">{t('counter.visit.fees.unit')}</th>
                      <th scope="col">{t('counter.visit.fees.amount')}</th>
                      <th scope="col">{t('counter.visit.fees.status')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {m.pendingFees.map((f, i) => (
                      <tr key={`pending-${i}`}>
                        <th scope="row">{t('counter.visit.fees.pending', { name: f.name })}</th>
                        <td>{f.subjectId ? (nameOf.get(f.subjectId) ?? '') : ''}</td>
                        <td>{f.copies}</td>
                        <td>{yen(f.unitFee)}</td>
                        <td>{yen(f.copies * f.unitFee)}</td>
                        <td>{t('counter.visit.fees.due')}</td>
                      </tr>
                    ))}
                    {m.fees.map((f) => (
                      <tr key={f.id}>
                        <th scope="row">{feeName(f)}</th>
                        <td>{f.subject_person_id ? (nameOf.get(f.subject_person_id) ?? '') : ''}</td>
                        <td>{f.copies}</td>
                        <td>{yen(f.unit_fee)}</td>
                        <td>{yen(f.amount)}</td>
                        <td>
                          {t(`counter.visit.fees.${f.status}`)}
                          {f.kind === 'certificate' && (open || v.state === 'sent') && (
                            <form method="post" action={`${base}/certificates/${f.id}/remove`}>
                              <CsrfField token={ctx.csrfToken} />
                              <button type="submit" class="secondary small">
                                {t('counter.visit.certificate.remove')}
                                <span class="visually-hidden">{feeName(f)}</span>
                              </button>
                            </form>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableWrap>
            )}
            {m.fees.length + m.pendingFees.length > 0 && <p class="counter-total">{t('counter.visit.fees.total', { amount: yen(total) })}</p>}
          </section>
          {(open || v.state === 'sent') && (
            <section aria-labelledby="step5" class="counter-inline">
              <h2 id="step5" class="visually-hidden">
                {t('counter.visit.end')}
              </h2>
              <form method="post" action={`${base}/end`}>
                <CsrfField token={ctx.csrfToken} />
                <button type="submit" id="end-visit">
                  {t('counter.visit.end')}
                </button>
              </form>
              {open && (
                <form method="post" action={`${base}/abandon`}>
                  <CsrfField token={ctx.csrfToken} />
                  <div class="radio">
                    <input type="checkbox" id="abandon-confirm" name="confirm" value="yes" />
                    <label for="abandon-confirm">{t('counter.visit.abandon.confirm')}</label>
                  </div>
                  <button type="submit" class="secondary">
                    {t('counter.visit.abandon')}
                  </button>
                </form>
              )}
            </section>
          )}
          {(v.state === 'ended' || v.state === 'abandoned') && v.ended_at && (
            <p>
              {t('counter.visit.closed', { state: t(`counter.state.${v.state}`) })} <MomentText at={v.ended_at} locale={locale} />
            </p>
          )}
        </div>
      </div>
    </Layout>
  );
}
