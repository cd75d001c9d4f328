/** One case for staff: what it is, its approval route, its timeline, its notices, and the actions this person may take now. */
import { CsrfField, Layout, TableWrap, type PageContext } from '../../../platform/views/layout.js';
import type { Translate } from '../../../platform/i18n.js';
import { DateText } from '../../../platform/views/dates.js';
import type { CaseView, TimelineEntry } from '../read.js';
import type { CaseAction, CaseState, Position } from '../states.js';
import { Countdown, DayText, ErrorSummary, Flash, MomentText, positionText, stateText, StaffStyles, type PageError } from './staff-common.js';

export interface ActionForm {
  action: CaseAction;
  /** The state the action leads to from here. */
  to: CaseState | undefined;
  comment: 'required' | 'optional';
  /** The comment is shown to the resident (a question, a withdrawal). */
  toResident: boolean;
  /** approve / send-back in place of an absent colleague. */
  onBehalfOf?: string | undefined;
  /** assign: the department's officers. */
  officers?: { id: string; name: string }[];
}

/** What the person posted when an action was refused, to show it again beside the message. */
export interface Posted {
  action: CaseAction;
  comment: string;
  outcome: string;
  assignee: string;
  fieldErrors: Record<string, string>;
}

export interface CaseModel {
  view: CaseView;
  procedureName: string;
  departmentName: string;
  applicantName: string | undefined;
  subjectName: string | undefined;
  /** The route the procedure names, shown before anything is proposed. */
  plannedRoute: Position[];
  /** Who approved each level of the current proposal (from the timeline). */
  approvedBy: Map<number, TimelineEntry>;
  proposedBy: TimelineEntry | undefined;
  /** The comment shown per timeline step (assignments name the officer, not their id). */
  comments: Map<number, string | null>;
  actions: ActionForm[];
  ownProposal: boolean;
  /** Why this approver may not approve the current level now (shown instead of a missing button). */
  approvalBlocked?: string | undefined;
  done: CaseAction | undefined;
  errors: PageError[];
  posted: Posted | undefined;
}

function who(t: Translate, s: TimelineEntry): string {
  const name = s.actor.kind === 'staff' ? s.actor.name ?? '' : t(`cases.staff.actor.${s.actor.kind}`);
  return s.onBehalfOf ? `${name}（${t('cases.staff.onBehalf', { name: s.onBehalfOf.name ?? '' })}）` : name;
}

export function CasePage({ ctx, m }: { ctx: PageContext; m: CaseModel }) {
  const { t, locale } = ctx;
  const c = m.view;
  return (
    <Layout ctx={ctx} title={t('cases.staff.case.title', { reference: c.reference })}>
      <StaffStyles />
      <div class="cases-wide">
        <p class="back">
          <a href="/staff/cases">{t('cases.staff.case.back')}</a>
        </p>
        <ErrorSummary t={t} errors={m.errors} />
        {m.done && <Flash>{t('cases.staff.done', { action: t(`cases.action.${m.done}`) })}</Flash>}
        <h1>
          {m.procedureName} <span class="id">{c.reference}</span>
        </h1>
        {c.demo && <p class="cases-muted">{t('cases.staff.case.demo')}</p>}
        <section aria-labelledby="summary-title">
          <h2 id="summary-title" class="visually-hidden">
            {t('cases.staff.case.summary')}
          </h2>
          <dl class="facts">
            <dt>{t('cases.staff.col.state')}</dt>
            <dd>
              <span class="badge badge-state">{stateText(t, c.state)}</span>
            </dd>
            <dt>{t('cases.staff.case.department')}</dt>
            <dd>{m.departmentName}</dd>
            <dt>{t('cases.staff.col.applicant')}</dt>
            <dd>{m.applicantName ?? t('cases.staff.unsigned')}</dd>
            <dt>{t('cases.staff.case.subject')}</dt>
            <dd>{m.subjectName ?? m.applicantName ?? '—'}</dd>
            <dt>{t('cases.staff.col.channel')}</dt>
            <dd>{t(`cases.channel.${c.channel}`)}</dd>
            <dt>{t('cases.staff.col.received')}</dt>
            <dd>
              <MomentText at={c.receivedAt} locale={locale} />
            </dd>
            <dt>{t('cases.staff.case.standard')}</dt>
            <dd>{t('cases.staff.case.days', { n: c.standardDays })}</dd>
            <dt>{t('cases.staff.col.due')}</dt>
            <dd>
              <DateText iso={c.dueDate} locale={locale} /> <Countdown t={t} daysLeft={c.daysLeft} paused={c.paused} />
            </dd>
            {(c.pausedDays > 0 || c.paused) && (
              <>
                <dt>{t('cases.staff.case.paused')}</dt>
                <dd>{t('cases.staff.case.pausedDays', { n: c.pausedDays })}</dd>
              </>
            )}
            <dt>{t('cases.staff.col.assignee')}</dt>
            <dd>{c.assignee?.name || t('cases.staff.unassigned')}</dd>
            <dt>{t('cases.staff.case.version')}</dt>
            <dd>{c.version}</dd>
          </dl>
          <p>
            <a class="button secondary" href={`/staff/applications/${c.applicationId}`}>
              {t('cases.staff.case.application')}
            </a>
          </p>
        </section>
        <Route t={t} m={m} />
        <Timeline ctx={ctx} m={m} />
        <Notices ctx={ctx} m={m} />
        <Actions ctx={ctx} m={m} />
      </div>
    </Layout>
  );
}

function Route({ t, m }: { t: Translate; m: CaseModel }) {
  const c = m.view;
  const route = c.route;
  return (
    <section aria-labelledby="route-title">
      <h2 id="route-title">{t('cases.staff.route.title')}</h2>
      {route.length === 0 ? (
        <p>{t('cases.staff.route.notYet', { route: m.plannedRoute.map((p) => positionText(t, p)).join(' → ') })}</p>
      ) : (
        <>
          {c.proposal && m.proposedBy && (
            <p>{t('cases.staff.route.proposal', { outcome: t(`cases.decision.${c.proposal.outcome === 'approve' ? 'approved' : 'rejected'}`), name: m.proposedBy.actor.name ?? '' })}</p>
          )}
          <ol class="cases-route">
            {route.map((r) => {
              const step = m.approvedBy.get(r.level);
              const current = c.state === 'proposed' && !r.approved && route.filter((x) => x.approved).length + 1 === r.level;
              return (
                <li key={r.level}>
                  <strong>{t('cases.staff.level', { level: r.level, position: positionText(t, r.position) })}</strong>
                  {' — '}
                  {step ? t('cases.staff.route.approvedBy', { name: who(t, step) }) : current ? <span class="badge badge-warn">{t('cases.staff.route.current')}</span> : t('cases.staff.route.waiting')}
                </li>
              );
            })}
          </ol>
          {c.decision && <p>{t('cases.staff.route.decision', { decision: t(`cases.decision.${c.decision}`) })}</p>}
        </>
      )}
    </section>
  );
}

function Timeline({ ctx, m }: { ctx: PageContext; m: CaseModel }) {
  const { t, locale } = ctx;
  return (
    <section aria-labelledby="timeline-title">
      <h2 id="timeline-title">{t('cases.staff.timeline.title')}</h2>
      <TableWrap label={t('cases.staff.timeline.caption')}>
        <table>
          <caption>{t('cases.staff.timeline.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('cases.staff.timeline.when')}</th>
              <th scope="col">{t('cases.staff.timeline.what')}</th>
              <th scope="col">{t('cases.staff.timeline.states')}</th>
              <th scope="col">{t('cases.staff.timeline.who')}</th>
              <th scope="col">{t('cases.staff.timeline.comment')}</th>
            </tr>
          </thead>
          <tbody>
            {m.view.timeline.map((s) => (
              <tr key={s.seq}>
                <td>
                  <MomentText at={s.at} locale={locale} />
                </td>
                <td>
                  {t(`cases.action.${s.action}`)}
                  {s.level && s.position && (
                    <>
                      <br />
                      <span class="cases-muted">{t('cases.staff.level', { level: s.level, position: positionText(t, s.position) })}</span>
                    </>
                  )}
                </td>
                <td>{`${s.from ? stateText(t, s.from) : '—'} → ${stateText(t, s.to)}`}</td>
                <td>{who(t, s)}</td>
                <td class="cases-comment">{m.comments.get(s.seq) ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </section>
  );
}

function Notices({ ctx, m }: { ctx: PageContext; m: CaseModel }) {
  const { t, locale } = ctx;
  const c = m.view;
  return (
    <section aria-labelledby="notices-title">
      <h2 id="notices-title">{t('cases.staff.notices.title')}</h2>
      {c.notices.length === 0 ? (
        <p>{t('cases.staff.notices.none')}</p>
      ) : (
        <ul>
          {c.notices.map((n) => (
            <li key={n.id}>
              {t(`cases.decision.${n.decision}`)} — <DayText at={n.issuedAt} locale={locale} />{' '}
              <a href={`/staff/cases/${c.id}/notices/${n.id}.pdf`}>{t('cases.staff.notices.download')}</a>{' '}
              <a href={n.verifyHref}>{t('cases.staff.notices.verify')}</a>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Actions({ ctx, m }: { ctx: PageContext; m: CaseModel }) {
  const { t } = ctx;
  return (
    <section aria-labelledby="actions-title" id="actions">
      <h2 id="actions-title">{t('cases.staff.actions.title')}</h2>
      {m.ownProposal && <p class="notice">{t('cases.staff.actions.ownProposal')}</p>}
      {!m.ownProposal && m.approvalBlocked && <p class="notice">{m.approvalBlocked}</p>}
      {m.actions.length === 0 ? (
        <p>{t('cases.staff.actions.none')}</p>
      ) : (
        <div class="cases-actions">
          {m.actions.map((a) => (
            <ActionCard key={a.action} ctx={ctx} m={m} a={a} />
          ))}
        </div>
      )}
    </section>
  );
}

function ActionCard({ ctx, m, a }: { ctx: PageContext; m: CaseModel; a: ActionForm }) {
  const { t } = ctx;
  const posted = m.posted?.action === a.action ? m.posted : undefined;
  const err = (f: string) => posted?.fieldErrors[f];
  const commentId = `comment-${a.action}`;
  const described = [`${commentId}-hint`, err('comment') && `${commentId}-error`].filter(Boolean).join(' ');
  return (
    <section class="card" aria-labelledby={`act-${a.action}-title`}>
      <h3 id={`act-${a.action}-title`}>{t(`cases.action.${a.action}`)}</h3>
      {a.to && a.to !== m.view.state && <p>{t('cases.staff.actions.leadsTo', { state: stateText(t, a.to) })}</p>}
      {a.onBehalfOf && <p class="cases-muted">{t('cases.staff.actions.asDeputy', { name: a.onBehalfOf })}</p>}
      <form method="post" action={`/staff/cases/${m.view.id}/actions`} id={`act-${a.action}`} novalidate>
        <CsrfField token={ctx.csrfToken} />
        <input type="hidden" name="action" value={a.action} />
        <input type="hidden" name="version" value={String(m.view.version)} />
        {a.action === 'propose' && (
          <fieldset class="field" aria-describedby={err('outcome') ? 'outcome-propose-error' : undefined}>
            <legend>
              {t('cases.staff.outcome')} <span class="req">{t('cases.staff.comment.required')}</span>
            </legend>
            {err('outcome') && (
              <p class="error" id="outcome-propose-error">
                {err('outcome')}
              </p>
            )}
            {(['approve', 'reject'] as const).map((o) => (
              <div class="radio" key={o}>
                <input type="radio" id={`outcome-propose-${o}`} name="outcome" value={o} checked={posted?.outcome === o} />
                <label for={`outcome-propose-${o}`}>{t(`cases.decision.${o === 'approve' ? 'approved' : 'rejected'}`)}</label>
              </div>
            ))}
          </fieldset>
        )}
        {a.action === 'assign' && a.officers && (
          <div class="field">
            <label for="assignee-assign">{t('cases.staff.assignee')}</label>
            {err('assignee') && (
              <p class="error" id="assignee-assign-error">
                {err('assignee')}
              </p>
            )}
            <select id="assignee-assign" name="assignee" aria-describedby={err('assignee') ? 'assignee-assign-error' : undefined} aria-invalid={err('assignee') ? 'true' : undefined}>
              <option value="">{t('cases.staff.assignee.none')}</option>
              {a.officers.map((o) => (
                <option key={o.id} value={o.id} selected={(posted ? posted.assignee : m.view.assignee?.id) === o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          </div>
        )}
        <div class={err('comment') ? 'field field-error' : 'field'}>
          <label for={commentId}>
            {t('cases.staff.comment')} <span class={a.comment === 'required' ? 'req' : 'cases-muted'}>{t(`cases.staff.comment.${a.comment}`)}</span>
          </label>
          <p class="hint" id={`${commentId}-hint`}>
            {t(a.action === 'propose' ? 'cases.staff.comment.reason' : a.toResident ? 'cases.staff.comment.toResident' : 'cases.staff.comment.internal')}
          </p>
          {err('comment') && (
            <p class="error" id={`${commentId}-error`}>
              {err('comment')}
            </p>
          )}
          <textarea id={commentId} name="comment" rows={3} aria-describedby={described} aria-invalid={err('comment') ? 'true' : undefined}>
            {posted?.comment ?? ''}
          </textarea>
        </div>
        <button type="submit" class={a.action === 'send-back' || a.action === 'withdraw' || a.action === 'reopen' ? 'secondary' : undefined}>
          {t(`cases.staff.do.${a.action}`)}
        </button>
      </form>
    </section>
  );
}
