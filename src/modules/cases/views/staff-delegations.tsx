/** 代決: whom I let approve in my place while I am away, whom I stand in for, and the form to delegate. */
import { CsrfField, Layout, TableWrap, type PageContext } from '../../../platform/views/layout.js';
import { formatDate } from '../../../platform/views/dates.js';
import { ErrorSummary, Flash, StaffStyles, StaffTabs, type PageError } from './staff-common.js';

export interface DelegationRowModel {
  id: string;
  /** The other staff member: to whom (from me) or for whom (to me). */
  other: string;
  validFrom: string;
  validTo: string;
  reason: string;
  active: boolean;
  revocable: boolean;
}

export interface DelegationForm {
  toStaff: string;
  validFrom: string;
  validTo: string;
  reason: string;
}

export interface DelegationsModel {
  fromMe: DelegationRowModel[];
  toMe: DelegationRowModel[];
  canDelegate: boolean;
  colleagues: { id: string; name: string }[];
  form: DelegationForm;
  errors: (PageError & { field: keyof DelegationForm })[];
  done: 'created' | 'revoked' | undefined;
  approver: boolean;
  awaiting: number;
}

function Rows({ ctx, rows, caption, mine }: { ctx: PageContext; rows: DelegationRowModel[]; caption: string; mine: boolean }) {
  const { t, locale } = ctx;
  if (rows.length === 0) return <p>{t('cases.staff.delegations.none')}</p>;
  return (
    <TableWrap label={caption}>
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('cases.staff.delegations.person')}</th>
            <th scope="col">{t('cases.staff.delegations.period')}</th>
            <th scope="col">{t('cases.staff.delegations.reason')}</th>
            <th scope="col">{t('cases.staff.delegations.status')}</th>
            {mine && <th scope="col">{t('cases.staff.delegations.revoke')}</th>}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <td>{r.other}</td>
              <td>{t('cases.staff.delegations.range', { from: formatDate(r.validFrom, locale), to: formatDate(r.validTo, locale) })}</td>
              <td class="cases-comment">{r.reason}</td>
              <td>{t(r.active ? 'cases.staff.delegations.active' : 'cases.staff.delegations.planned')}</td>
              {mine && (
                <td>
                  {r.revocable && (
                    <form method="post" action={`/staff/cases/delegations/${r.id}/revoke`} class="inline-form">
                      <CsrfField token={ctx.csrfToken} />
                      <button type="submit" class="secondary small" aria-label={t('cases.staff.delegations.revokeOf', { name: r.other })}>
                        {t('cases.staff.delegations.revoke')}
                      </button>
                    </form>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

export function DelegationsPage({ ctx, m }: { ctx: PageContext; m: DelegationsModel }) {
  const { t } = ctx;
  const err = (f: keyof DelegationForm) => m.errors.find((e) => e.field === f)?.message;
  const input = (f: keyof DelegationForm) => ({
    id: f,
    name: f,
    'aria-invalid': err(f) ? ('true' as const) : undefined,
    'aria-describedby': [f === 'reason' ? 'reason-hint' : '', err(f) ? `${f}-error` : ''].filter(Boolean).join(' ') || undefined,
  });
  const errorOf = (f: keyof DelegationForm) =>
    err(f) && (
      <p class="error" id={`${f}-error`}>
        {err(f)}
      </p>
    );
  return (
    <Layout ctx={ctx} title={t('cases.staff.delegations.title')}>
      <StaffStyles />
      <div class="cases-wide">
        <ErrorSummary t={t} errors={m.errors} />
        {m.done && <Flash>{t(`cases.staff.delegations.${m.done}`)}</Flash>}
        <h1>{t('cases.staff.delegations.title')}</h1>
        <StaffTabs t={t} current="delegations" awaiting={m.awaiting} approver={m.approver} />
        <p class="lead">{t('cases.staff.delegations.lead')}</p>
        <h2>{t('cases.staff.delegations.fromMe')}</h2>
        <Rows ctx={ctx} rows={m.fromMe} caption={t('cases.staff.delegations.fromMe')} mine />
        <h2>{t('cases.staff.delegations.toMe')}</h2>
        <Rows ctx={ctx} rows={m.toMe} caption={t('cases.staff.delegations.toMe')} mine={false} />
        <h2>{t('cases.staff.delegations.new')}</h2>
        {!m.canDelegate ? (
          <p>{t('cases.staff.delegations.notApprover')}</p>
        ) : m.colleagues.length === 0 ? (
          <p>{t('cases.staff.delegations.noColleague')}</p>
        ) : (
          <form method="post" action="/staff/cases/delegations" class="card" novalidate>
            <CsrfField token={ctx.csrfToken} />
            <div class={err('toStaff') ? 'field field-error' : 'field'}>
              <label for="toStaff">{t('cases.staff.delegations.to')}</label>
              {errorOf('toStaff')}
              <select {...input('toStaff')}>
                <option value="">{t('cases.staff.choose')}</option>
                {m.colleagues.map((c) => (
                  <option key={c.id} value={c.id} selected={c.id === m.form.toStaff}>
                    {c.name}
                  </option>
                ))}
              </select>
            </div>
            <div class={err('validFrom') ? 'field field-error' : 'field'}>
              <label for="validFrom">{t('cases.staff.delegations.from')}</label>
              {errorOf('validFrom')}
              <input type="date" value={m.form.validFrom} {...input('validFrom')} />
            </div>
            <div class={err('validTo') ? 'field field-error' : 'field'}>
              <label for="validTo">{t('cases.staff.delegations.until')}</label>
              {errorOf('validTo')}
              <input type="date" value={m.form.validTo} {...input('validTo')} />
            </div>
            <div class={err('reason') ? 'field field-error' : 'field'}>
              <label for="reason">{t('cases.staff.delegations.reason')}</label>
              <p class="hint" id="reason-hint">
                {t('cases.staff.delegations.reasonHint')}
              </p>
              {errorOf('reason')}
              <input type="text" value={m.form.reason} maxLength={200} {...input('reason')} />
            </div>
            <button type="submit">{t('cases.staff.delegations.submit')}</button>
          </form>
        )}
      </div>
    </Layout>
  );
}
