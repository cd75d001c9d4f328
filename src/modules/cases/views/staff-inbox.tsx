/** The staff inbox of cases (filters, countdown, paging) and the list of proposals awaiting my approval. */
import { CsrfField, Layout, TableWrap, type PageContext } from '../../../platform/views/layout.js';
import { DateText } from '../../../platform/views/dates.js';
import type { CaseView } from '../read.js';
import { STATES, type Position } from '../states.js';
import { Countdown, DayText, ErrorSummary, isLate, positionText, stateText, StaffStyles, StaffTabs, type PageError } from './staff-common.js';

export interface CaseRowModel {
  view: CaseView;
  procedureName: string;
  applicantName: string | undefined;
}

export interface InboxModel {
  filter: { department: string; procedure: string; state: string; channel: string; assignee: string; dueBy: string; overdue: boolean };
  departments: { code: string; name: string }[];
  procedures: { code: string; name: string }[];
  officers: { id: string; name: string }[];
  rows: CaseRowModel[];
  total: number;
  offset: number;
  prevHref: string | undefined;
  nextHref: string | undefined;
  approver: boolean;
  awaiting: number;
  purpose: string;
  today: string;
}

const CHANNELS = ['online', 'paper', 'counter'] as const;

function Select({ id, label, value, options }: { id: string; label: string; value: string; options: [string, string][] }) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} name={id}>
        {options.map(([v, text]) => (
          <option key={v} value={v} selected={v === value}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

export function InboxPage({ ctx, m }: { ctx: PageContext; m: InboxModel }) {
  const { t, locale } = ctx;
  const all = t('cases.staff.filter.all');
  const from = m.total === 0 ? 0 : m.offset + 1;
  const caption = t('cases.staff.caption', { from, to: m.offset + m.rows.length, total: m.total });
  return (
    <Layout ctx={ctx} title={t('cases.staff.inbox.title')}>
      <StaffStyles />
      <div class="cases-wide">
        <h1>{t('cases.staff.inbox.title')}</h1>
        <p class="notice">
          {t('staff.purpose.current', { purpose: t(`purpose.${m.purpose}`) })} <a href="/staff/purpose?next=/staff/cases">{t('staff.purpose.change')}</a>
        </p>
        <StaffTabs t={t} current="inbox" awaiting={m.awaiting} approver={m.approver} />
        <p class="lead">{t('cases.staff.inbox.lead')}</p>
        <form method="get" action="/staff/cases" class="card filters" aria-label={t('cases.staff.filters')}>
          <Select id="department" label={t('cases.staff.filter.department')} value={m.filter.department} options={[['', all], ...m.departments.map((d): [string, string] => [d.code, d.name])]} />
          <Select id="procedure" label={t('cases.staff.filter.procedure')} value={m.filter.procedure} options={[['', all], ...m.procedures.map((p): [string, string] => [p.code, p.name])]} />
          <Select
            id="state"
            label={t('cases.staff.filter.state')}
            value={m.filter.state}
            options={[['open', t('cases.staff.filter.open')], ['all', t('cases.staff.filter.allStates')], ...STATES.map((s): [string, string] => [s, stateText(t, s)])]}
          />
          <Select id="channel" label={t('cases.staff.filter.channel')} value={m.filter.channel} options={[['', all], ...CHANNELS.map((c): [string, string] => [c, t(`cases.channel.${c}`)])]} />
          <Select
            id="assignee"
            label={t('cases.staff.filter.assignee')}
            value={m.filter.assignee}
            options={[['', all], ['me', t('cases.staff.filter.me')], ['none', t('cases.staff.filter.none')], ...m.officers.map((o): [string, string] => [o.id, o.name])]}
          />
          <div class="field">
            <label for="dueBy">{t('cases.staff.filter.dueBy')}</label>
            <input type="date" id="dueBy" name="dueBy" value={m.filter.dueBy} />
          </div>
          <div class="field">
            <div class="radio">
              <input type="checkbox" id="overdue" name="overdue" value="1" checked={m.filter.overdue} />
              <label for="overdue">{t('cases.staff.filter.overdue')}</label>
            </div>
          </div>
          <p>
            <button type="submit">{t('cases.staff.filter.submit')}</button> <a href="/staff/cases">{t('cases.staff.filter.clear')}</a>
          </p>
        </form>
        {m.rows.length === 0 ? (
          <p>{t('cases.staff.none')}</p>
        ) : (
          <TableWrap label={caption}>
            <table>
              <caption>{caption}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('cases.staff.col.reference')}</th>
                  <th scope="col">{t('cases.staff.col.procedure')}</th>
                  <th scope="col">{t('cases.staff.col.applicant')}</th>
                  <th scope="col">{t('cases.staff.col.channel')}</th>
                  <th scope="col">{t('cases.staff.col.received')}</th>
                  <th scope="col">{t('cases.staff.col.due')}</th>
                  <th scope="col">{t('cases.staff.col.state')}</th>
                  <th scope="col">{t('cases.staff.col.assignee')}</th>
                </tr>
              </thead>
              <tbody>
                {m.rows.map(({ view: c, procedureName, applicantName }) => (
                  <tr key={c.id} class={isLate(c) ? 'cases-late' : undefined}>
                    <td class="nowrap">
                      <a href={`/staff/cases/${c.id}`}>{c.reference}</a>
                    </td>
                    <td>{procedureName}</td>
                    <td>{applicantName ?? t('cases.staff.unsigned')}</td>
                    <td>{t(`cases.channel.${c.channel}`)}</td>
                    <td>
                      <DayText at={c.receivedAt} locale={locale} />
                    </td>
                    <td>
                      <DateText iso={c.dueDate} locale={locale} />
                      <br />
                      <Countdown t={t} daysLeft={c.daysLeft} paused={c.paused} />
                    </td>
                    <td>
                      {stateText(t, c.state)}
                      {c.state === 'in-review' && (c.lastAction === 'answer' || c.lastAction === 'send-back' || c.lastAction === 'reopen') && (
                        <>
                          {' '}
                          <span class="badge badge-warn">{t(`cases.staff.last.${c.lastAction}`)}</span>
                        </>
                      )}
                    </td>
                    <td>{c.assignee?.name || t('cases.staff.unassigned')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
        {(m.prevHref || m.nextHref) && (
          <nav class="pager" aria-label={t('cases.staff.pager')}>
            {m.prevHref && <a href={m.prevHref}>{t('cases.staff.pager.prev')}</a>}
            {m.nextHref && <a href={m.nextHref}>{t('cases.staff.pager.next')}</a>}
          </nav>
        )}
        <section class="card cases-print" aria-labelledby="print-title">
          <h2 id="print-title">{t('cases.staff.print.title')}</h2>
          <p>{t('cases.staff.print.lead')}</p>
          <form method="post" action="/staff/cases/jobs">
            <CsrfField token={ctx.csrfToken} />
            <input type="hidden" name="kind" value="print-notices" />
            <input type="hidden" name="date" value={m.today} />
            <button type="submit" class="secondary">
              {t('cases.staff.print.submit')}
            </button>
          </form>
        </section>
      </div>
    </Layout>
  );
}

export interface ApprovalRowModel extends CaseRowModel {
  proposer: string;
  level: number;
  position: Position;
  onBehalfOf: string | undefined;
}

export interface ApprovalsModel {
  rows: ApprovalRowModel[];
  errors: PageError[];
  comment: string;
}

export function ApprovalsPage({ ctx, m }: { ctx: PageContext; m: ApprovalsModel }) {
  const { t, locale } = ctx;
  const caption = t('cases.staff.approvals.caption', { n: m.rows.length });
  return (
    <Layout ctx={ctx} title={t('cases.staff.approvals.title')}>
      <StaffStyles />
      <div class="cases-wide">
        <ErrorSummary t={t} errors={m.errors} />
        <h1>{t('cases.staff.approvals.title')}</h1>
        <StaffTabs t={t} current="approvals" awaiting={m.rows.length} approver />
        <p class="lead">{t('cases.staff.approvals.lead')}</p>
        {m.rows.length === 0 ? (
          <p>{t('cases.staff.approvals.none')}</p>
        ) : (
          <form method="post" action="/staff/cases/jobs">
            <CsrfField token={ctx.csrfToken} />
            <input type="hidden" name="kind" value="approve" />
            <p class="hint" id="bulk-hint">
              {t('cases.staff.approvals.bulkHint')}
            </p>
            <TableWrap label={caption}>
              <table>
                <caption>{caption}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('cases.staff.col.select')}</th>
                    <th scope="col">{t('cases.staff.col.reference')}</th>
                    <th scope="col">{t('cases.staff.col.procedure')}</th>
                    <th scope="col">{t('cases.staff.col.applicant')}</th>
                    <th scope="col">{t('cases.staff.col.proposal')}</th>
                    <th scope="col">{t('cases.staff.col.level')}</th>
                    <th scope="col">{t('cases.staff.col.due')}</th>
                  </tr>
                </thead>
                <tbody>
                  {m.rows.map((r) => {
                    const c = r.view;
                    const id = `case-${c.id}`;
                    return (
                      <tr key={c.id} class={isLate(c) ? 'cases-late' : undefined}>
                        <td>
                          <input type="checkbox" class="cases-check" id={id} name="case" value={`${c.id}:${c.version}`} aria-describedby="bulk-hint" />
                          <label for={id} class="visually-hidden">
                            {t('cases.staff.approvals.select', { reference: c.reference })}
                          </label>
                        </td>
                        <td class="nowrap">
                          <a href={`/staff/cases/${c.id}`}>{c.reference}</a>
                        </td>
                        <td>{r.procedureName}</td>
                        <td>{r.applicantName ?? t('cases.staff.unsigned')}</td>
                        <td>
                          {c.proposal ? t(`cases.decision.${c.proposal.outcome === 'approve' ? 'approved' : 'rejected'}`) : ''}
                          <br />
                          <span class="cases-muted">
                            {t('cases.staff.col.proposer')}: {r.proposer}
                          </span>
                        </td>
                        <td>
                          {t('cases.staff.level', { level: r.level, position: positionText(t, r.position) })}
                          {r.onBehalfOf && (
                            <>
                              <br />
                              <span class="cases-muted">{t('cases.staff.onBehalf', { name: r.onBehalfOf })}</span>
                            </>
                          )}
                        </td>
                        <td>
                          <DateText iso={c.dueDate} locale={locale} />
                          <br />
                          <Countdown t={t} daysLeft={c.daysLeft} paused={c.paused} />
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </TableWrap>
            <div class="field">
              <label for="bulk-comment">{t('cases.staff.approvals.comment')}</label>
              <textarea id="bulk-comment" name="comment" rows={2}>
                {m.comment}
              </textarea>
            </div>
            <p>
              <button type="submit">{t('cases.staff.approvals.submit')}</button>
            </p>
          </form>
        )}
      </div>
    </Layout>
  );
}
