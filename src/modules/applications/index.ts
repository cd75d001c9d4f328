/**
 * applications — online applications (電子申請): procedures defined as data, forms that
 * pre-fill what the town knows, drafts, submission with the register's checks, receipts,
 * life-event bundles, and the departmental inbox. Other modules use only what this exports.
 */
import type { ModuleContext, YakubaModule } from '../../platform/module.js';
import { registerNav } from '../../platform/views/layout.js';
import type { Access } from '../access/index.js';
import type { Registry } from '../registry/index.js';
import { todayInJapan } from '../registry/index.js';
import './messages.js';
import { loadDefinitions, type Catalog } from './definitions.js';
import { registerApplicationsApi } from './routes.js';
import { registerApplicationPages } from './pages.js';
import type { ApplicationsRuntime } from './runtime.js';
import { insertAgent } from './agents.js';
import type { Queryable } from '../../platform/db/db.js';
import { queueMail } from '../../platform/mail.js';
import { isLocale, type Locale } from '../../platform/i18n.js';
import type { AccessContext } from '../access/index.js';
import type { ApplicationHooks, SubmittedApplication } from './runtime.js';
import { readApplication, residentMaySee as mayResidentSee, type ApplicationView } from './read.js';
import { emailOf, submittedOf } from './submit.js';
import * as store from './store.js';
import { seedHistory, type HistoryRow } from './history.js';
import { assertPaperForms } from './paper-forms.js';
import { addDeskItems, answerDesk, deskChoices, deskItems, discardDesk, removeDeskItem, submitDesk, type DeskChoice, type DeskItem } from './desk.js';
import type { Actor } from './runtime.js';
import type { Locale as L, Translate } from '../../platform/i18n.js';

export { DefinitionError, loadDefinitions } from './definitions.js';
export { assertPaperForms } from './paper-forms.js';
export type { Catalog } from './definitions.js';
export type { Procedure, Bundle } from './definition-schema.js';

export type { SubmittedApplication, ApplicationProgress } from './runtime.js';
export type { ApplicationView } from './read.js';
export type { HistoryRow } from './history.js';
export type { DeskItem, DeskChoice, DeskQuestion } from './desk.js';
export type { FormData } from './form.js';
export { DeskForms, formLines, type DeskFormsModel } from './views/desk.js';
export { valueText } from './views/common.js';

/**
 * The counter desk: a visit's procedures (or a resident's pre-entry) as drafts in one group,
 * held by the clerk (or the resident) whose context is given. Channel `counter`.
 */
export interface Desk {
  /** Adds procedures for the applicant (staff name them; a resident is the applicant), seeded from a pre-entry. */
  add(
    ctx: AccessContext,
    group: string,
    opts: { applicantId?: string; choices: readonly DeskChoice[]; preEntry?: { personId: string; group: string }; alsoWrite?: (tx: Queryable) => Promise<void> },
  ): Promise<void>;
  items(ctx: AccessContext, group: string): Promise<DeskItem[]>;
  /** Which procedures a resident's group holds, for whom (ids only; to open them at the counter). */
  choicesOf(holder: { personId: string }, group: string): Promise<DeskChoice[]>;
  /** Saves the answers of the one screen (inputs named by `DeskForms`). */
  answer(ctx: AccessContext, group: string, posted: ReadonlyMap<string, string[]>): Promise<DeskItem[]>;
  remove(ctx: AccessContext, group: string, draftId: string): Promise<void>;
  /** Drops a group's drafts (in the caller's transaction): the visit abandoned, the pre-entry used. */
  discard(tx: Queryable, holder: { staffId: string } | { personId: string }, group: string): Promise<number>;
  /** Sends the group under one receipt; `alsoWrite` runs in the same transaction. */
  submit(
    ctx: AccessContext,
    group: string,
    opts: { locale: L; t: Translate; idempotencyKey?: string; alsoWrite?: (tx: Queryable, apps: SubmittedApplication[], submissionId: string) => Promise<void> },
  ): Promise<{ submissionId: string; reference: string; applications: SubmittedApplication[]; replayed: boolean }>;
  /** Where a group's drafts are listed, so the full form of one returns there. */
  useHome(home: NonNullable<ApplicationHooks['deskHome']>): void;
}

export interface Applications extends YakubaModule {
  catalog: Catalog;
  /** Hear of every submitted application, inside its transaction (online, paper, counter). */
  onSubmitted(handler: ApplicationHooks['submitted'][number]): void;
  /** Says where each application stands on the resident's status pages. */
  useProgress(source: NonNullable<ApplicationHooks['progress']>): void;
  /** Closes a submitted application: decided and notified, or withdrawn. False if it was not open. */
  closeApplication(tx: Queryable, id: string, status: 'closed' | 'withdrawn'): Promise<boolean>;
  /** Queues a mail to the address the resident gave on the application, if they gave one, written in the language they applied in. */
  mailApplicant(tx: Queryable, id: string, mail: (locale: Locale) => { subject: string; text: string; tag: string; ref: string }): Promise<boolean>;
  /** An application's content for a staff member or resident, audited under the context's purpose. */
  readApplication(ctx: AccessContext, id: string): Promise<ApplicationView>;
  /** Whether a resident may see (and so act on) an application: theirs or their household's. */
  residentMaySee(personId: string, id: string): Promise<boolean>;
  /** Every submitted application still open, as `onSubmitted` handlers see them (opening cases missed before an upgrade). */
  openApplications(): Promise<SubmittedApplication[]>;
  /** The submission (receipt) an application was sent in: ids only, for links. */
  submissionOf(id: string): Promise<string | undefined>;
  /** Demo seed only: writes historical submissions and applications in bulk; their references, in order. */
  seedHistory(tx: Queryable, rows: readonly HistoryRow[]): Promise<string[]>;
  desk: Desk;
  /** Checks every procedure's official paper form (file, pages, boxes on the page, fields named); throws a `DefinitionError` naming the first problem. */
  checkPaperForms(): Promise<void>;
  /** Registers an agent (代理人) who may apply for a person outside their household. */
  registerAgent(
    db: Queryable,
    a: { principalId: string; agentId: string; kind: 'guardian' | 'relative' | 'care-manager' | 'other'; validFrom: string; validTo?: string; registeredBy?: string; demo: boolean },
  ): Promise<string>;
}

export function createApplications(ctx: ModuleContext & { access: Access; registry: Registry; demo: () => boolean; townName: () => string; today?: () => string }): Applications {
  const catalog = loadDefinitions(ctx.config.proceduresDir);
  const rt: ApplicationsRuntime = {
    db: ctx.db,
    config: ctx.config,
    catalog,
    access: ctx.access,
    registry: ctx.registry,
    today: ctx.today ?? (() => todayInJapan()),
    demo: ctx.demo,
    hooks: { submitted: [] },
  };
  // The departmental inbox is the cases module's (/staff/cases); the menu keeps the way to keying in paper forms.
  const keyingRoles = ['counter-clerk', 'case-officer'];
  registerNav(
    { href: '/procedures', label: 'nav.procedures', audience: 'public' },
    { href: '/me/applications', label: 'nav.myApplications', audience: 'resident' },
    { href: '/staff/applications/new', label: 'applications.page.staff.keyIn', audience: 'staff', roles: keyingRoles },
  );
  ctx.access.addStaffLink({ href: '/staff/applications/new', label: 'applications.page.staff.keyIn', roles: keyingRoles });
  const actorOfCtx = (actx: AccessContext): Actor => {
    if (actx.principal.kind === 'staff') return { kind: 'staff', staffId: actx.principal.id, ctx: actx };
    if (actx.principal.kind === 'resident') return { kind: 'resident', personId: actx.principal.id, ctx: actx };
    throw new Error('the counter desk is used by staff and residents only');
  };
  const desk: Desk = {
    add: (actx, group, opts) => addDeskItems(rt, actorOfCtx(actx), group, opts),
    items: (actx, group) => deskItems(rt, actorOfCtx(actx), group),
    choicesOf: (holder, group) => deskChoices(rt, `person:${holder.personId}`, group),
    answer: (actx, group, posted) => answerDesk(rt, actorOfCtx(actx), group, posted),
    remove: (actx, group, draftId) => removeDeskItem(rt, actorOfCtx(actx), group, draftId),
    discard: (tx, holder, group) => discardDesk(rt, tx, 'staffId' in holder ? `staff:${holder.staffId}` : `person:${holder.personId}`, group),
    submit: (actx, group, opts) => submitDesk(rt, actorOfCtx(actx), group, { ...opts, townName: ctx.townName() }),
    useHome: (home) => void (rt.hooks.deskHome = home),
  };
  return {
    name: 'applications',
    catalog,
    desk,
    checkPaperForms: () => assertPaperForms(catalog, ctx.config.proceduresDir),
    routes(app) {
      registerApplicationsApi(app, rt, ctx.townName);
      registerApplicationPages(app, rt, ctx.townName);
    },
    registerAgent: (db, a) => insertAgent(db, a),
    seedHistory: (tx, rows) => seedHistory(rt, tx, rows),
    onSubmitted: (h) => void rt.hooks.submitted.push(h),
    useProgress: (source) => void (rt.hooks.progress = source),
    closeApplication: (tx, id, status) => store.closeApplication(tx, id, status),
    async mailApplicant(tx, id, mail) {
      const contact = await store.contactOf(tx, id);
      const to = contact ? emailOf(contact.data) : undefined;
      if (!contact || !to) return false;
      await queueMail(tx, { to, ...mail(isLocale(contact.locale) ? contact.locale : 'ja') });
      return true;
    },
    readApplication: async (actx, id) => (await readApplication(rt, actx, id)).view,
    openApplications: async () => (await store.openApplications(rt.db)).map((a) => submittedOf(rt, a)),
    submissionOf: async (id) => (await store.findApplication(rt.db, id))?.submission_id ?? undefined,
    residentMaySee: async (personId, id) => {
      const row = await store.findApplication(rt.db, id);
      return !!row && (await mayResidentSee(rt, personId, row));
    },
  };
}
