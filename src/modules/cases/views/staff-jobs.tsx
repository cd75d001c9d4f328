/** A bulk job's progress: state, a progress bar with its count, each case's result, and the combined PDF when done. */
import type { Translate } from '../../../platform/i18n.js';
import { Layout, TableWrap, type PageContext } from '../../../platform/views/layout.js';
import type { JobView } from '../jobs.js';
import { StaffStyles } from './staff-common.js';

const PROBLEMS = ['precondition-failed', 'conflict', 'forbidden', 'not-found'];

/** A result's problem in the page's words (the service's own text stays under 詳細). */
function problemText(t: Translate, problem: string): string {
  const code = problem.split(':')[0] ?? '';
  return t(`cases.staff.job.problem.${PROBLEMS.includes(code) ? code : 'other'}`);
}

export function JobPage({ ctx, job, refreshing }: { ctx: PageContext; job: JobView; refreshing: boolean }) {
  const { t } = ctx;
  const running = job.state === 'queued' || job.state === 'running';
  const handled = job.done + job.failed;
  const title = t(`cases.staff.job.title.${job.kind}`);
  return (
    <Layout ctx={ctx} title={title}>
      <StaffStyles />
      <p class="back">
        <a href="/staff/cases">{t('cases.staff.job.back')}</a>
      </p>
      <h1>{title}</h1>
      <dl class="facts">
        <dt>{t('cases.staff.job.state')}</dt>
        <dd>
          <span class={job.state === 'failed' ? 'badge badge-warn' : 'badge badge-state'}>{t(`cases.staff.job.state.${job.state}`)}</span>
        </dd>
      </dl>
      <div class="cases-progress">
        <p>
          <label for="job-progress">{t('cases.staff.job.progress')}</label>
        </p>
        {job.total > 0 || !running ? (
          <progress id="job-progress" max={Math.max(job.total, 1)} value={job.total > 0 ? handled : 1}>
            {t('cases.staff.job.count', { n: handled, total: job.total })}
          </progress>
        ) : (
          <progress id="job-progress">{t(`cases.staff.job.state.${job.state}`)}</progress>
        )}
        <p>{t('cases.staff.job.count', { n: handled, total: job.total })}</p>
        {job.failed > 0 && <p>{t('cases.staff.job.failed', { n: job.failed })}</p>}
      </div>
      {running &&
        (refreshing ? (
          <p class="cases-muted">
            {t('cases.staff.job.refreshing')} <a href={`/staff/cases/jobs/${job.id}?refresh=off`}>{t('cases.staff.job.stopRefresh')}</a>
          </p>
        ) : (
          <p>
            <a href={`/staff/cases/jobs/${job.id}?refresh=off`}>{t('cases.staff.job.reload')}</a>
          </p>
        ))}
      {job.state === 'failed' && <p class="error-summary" role="alert">{t('cases.staff.job.error')}</p>}
      {job.state === 'done' && job.kind === 'print-notices' && (
        <p>
          {job.hasOutput ? (
            <a class="button" href={`/staff/cases/jobs/${job.id}/output.pdf`}>
              {t('cases.staff.job.output')}
            </a>
          ) : (
            t('cases.staff.job.noOutput')
          )}
        </p>
      )}
      {job.results.length > 0 && (
        <>
          <h2>{t('cases.staff.job.results')}</h2>
          <TableWrap label={t('cases.staff.job.results')}>
            <table>
              <caption class="visually-hidden">{t('cases.staff.job.results')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('cases.staff.col.reference')}</th>
                  <th scope="col">{t('cases.staff.job.result')}</th>
                </tr>
              </thead>
              <tbody>
                {job.results.map((r) => (
                  <tr key={r.caseId}>
                    <td class="nowrap">
                      <a href={`/staff/cases/${r.caseId}`}>{r.reference || r.caseId}</a>
                    </td>
                    <td>
                      {r.ok ? (
                        t('cases.staff.job.ok')
                      ) : (
                        <>
                          <strong>{t('cases.staff.job.notOk')}</strong>: {problemText(t, r.problem ?? '')}
                          {r.problem && (
                            <details>
                              <summary>{t('cases.staff.job.detail')}</summary>
                              <span class="cases-muted">{r.problem}</span>
                            </details>
                          )}
                        </>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        </>
      )}
    </Layout>
  );
}
