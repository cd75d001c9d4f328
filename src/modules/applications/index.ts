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

export { DefinitionError, loadDefinitions } from './definitions.js';
export type { Catalog } from './definitions.js';
export type { Procedure, Bundle } from './definition-schema.js';

export type { SubmittedApplication, ApplicationProgress } from './runtime.js';
export type { ApplicationView } from './read.js';
export type { HistoryRow } from './history.js';

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
  return {
    name: 'applications',
    catalog,
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
