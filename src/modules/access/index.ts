/**
 * access — who may see what. Staff accounts and sign-in, spokes' client credentials,
 * resident sessions, purposes and their grants, and the check every personal-data access
 * passes through (`authorizeAccess`). Other modules use only what this file exports.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ModuleContext, YakubaModule } from '../../platform/module.js';
import type { Principal } from '../../platform/auth/principal.js';
import type { Queryable } from '../../platform/db/db.js';
import { registerNav } from '../../platform/views/layout.js';
import { newId } from '../../platform/ids.js';
import { forbidden } from '../../platform/errors.js';
import { randomToken } from '../../platform/crypto.js';
import './messages.js';
import * as service from './service.js';
import * as store from './store.js';
import { keysFor, registerAccessRoutes, safeNext, setSession, type AccessRuntime } from './routes.js';
import type { StaffLink } from './views/pages.js';

export type { AccessContext } from './service.js';
export { SENSITIVE_FIELDS } from './service.js';
export { safeNext };

export interface StaffEntry {
  id: string;
  login: string;
  name: string;
  department: string;
  roles: string[];
  active: boolean;
}

export interface AuthorizeOptions {
  purposes?: readonly string[];
  fields?: readonly string[];
  kinds?: readonly Principal['kind'][];
  /** The purpose when the request names none (a resident's own action names it for them). */
  defaultPurpose?: string;
}

export interface Access extends YakubaModule {
  /** Checks principal, purpose (X-Purpose or the staff task purpose) and fields; throws named errors. */
  authorizeAccess(req: FastifyRequest, opts?: AuthorizeOptions): service.AccessContext;
  auditEntry: typeof service.auditEntry;
  /**
   * For staff pages: the signed-in staff member, or a redirect to sign-in / purpose choice.
   * `purposes`: the page serves these tasks; another chosen purpose leads to the choice again.
   */
  staffPage(req: FastifyRequest, reply: FastifyReply, opts?: { needPurpose?: boolean; purposes?: readonly string[]; roles?: string[] }): Extract<Principal, { kind: 'staff' }> | undefined;
  /** Starts a resident session for a registry person (after OIDC or the demo sign-in). */
  signInResident(reply: FastifyReply, personId: string, demo: boolean): void;
  /** Whether a client or staff account is still active and granted `purpose` (for background work). */
  grantHolds(owner: { kind: 'client' | 'staff'; id: string }, purpose: string): Promise<boolean>;
  /** How to tell that a signed-in resident is still a resident (the registry answers). */
  useResidentCheck(check: (personId: string) => Promise<boolean>): void;
  /** A demo installation's staff logins, shown on the sign-in page (demo mode only). */
  showDemoLogins(logins: { login: string; role: string; note?: string }[], password: string): void;
  /** Adds a link to the staff portal home. */
  addStaffLink(link: StaffLink): void;
  purposeCodes(): string[];
  /** A staff account's id from its login (audit filters). */
  findStaffId(login: string): Promise<string | undefined>;
  /** Staff members (all, or these ids): id, login, name, department, roles — for names and choices, never secrets. */
  staffDirectory(ids?: readonly string[]): Promise<StaffEntry[]>;
  roleCodes(): string[];
  createStaff(db: Queryable, s: { login: string; displayName: string; department: string; roles: string[]; password: string; demo: boolean }): Promise<string>;
  createClient(db: Queryable, c: { id: string; name: string; secret: string; purposes: string[]; fields: string[]; demo: boolean }): Promise<void>;
  findResidentIdentity(issuer: string, subject: string): Promise<string | undefined>;
  linkResidentIdentity(issuer: string, subject: string, personId: string): Promise<void>;
}

export async function createAccess(ctx: ModuleContext): Promise<Access> {
  const keys = keysFor(ctx);
  const rt: AccessRuntime = { ctx, grants: await service.loadGrants(ctx.db), ...keys, staffLinks: [] };
  registerNav(
    { href: '/staff', label: 'nav.staffHome', audience: 'staff' },
  );

  return {
    name: 'access',
    routes: (app) => registerAccessRoutes(app, rt),
    authorizeAccess(req, opts = {}) {
      const header = req.headers['x-purpose'];
      return service.authorize(rt.grants, {
        principal: req.principal,
        purposeHeader: typeof header === 'string' ? header : undefined,
        requestId: req.id,
        sourceIp: req.ip,
        ...opts,
      });
    },
    auditEntry: service.auditEntry,
    staffPage(req, reply, opts = {}) {
      const p = req.principal;
      if (p?.kind !== 'staff') {
        void reply.redirect(`/staff/sign-in?next=${encodeURIComponent(req.url)}`, 303);
        return undefined;
      }
      if (opts.roles && !opts.roles.some((r) => p.roles.includes(r))) {
        throw forbidden('this page is for other roles');
      }
      if ((opts.needPurpose && !p.taskPurpose) || (opts.purposes && !opts.purposes.includes(p.taskPurpose ?? ''))) {
        void reply.redirect(`/staff/purpose?next=${encodeURIComponent(req.url)}`, 303);
        return undefined;
      }
      return p;
    },
    signInResident(reply, personId, demo) {
      setSession(rt, reply, { k: 'resident', id: personId, demo, sid: randomToken(16) });
    },
    grantHolds: (owner, purpose) => service.grantHolds(ctx.db, rt.grants, owner, purpose),
    useResidentCheck(check) {
      rt.isResident = check;
    },
    showDemoLogins(logins, password) {
      rt.demoLogins = { logins, password };
    },
    addStaffLink(link) {
      rt.staffLinks.push(link);
    },
    purposeCodes: () => [...rt.grants.purposes.keys()],
    staffDirectory: async (ids) =>
      (await store.staffDirectory(ctx.db, ids)).map((r) => ({ id: r.id, login: r.login, name: r.display_name, department: r.department, roles: r.roles, active: r.active })),
    findStaffId: async (login) => (await store.findStaffByLogin(ctx.db, login.trim().toLowerCase()))?.id,
    roleCodes: () => [...rt.grants.roles.keys()],
    async createStaff(db, s) {
      const id = newId();
      await store.insertStaff(db, {
        id,
        login: s.login,
        displayName: s.displayName,
        department: s.department,
        roles: s.roles,
        passwordHash: await service.hashSecret(s.password),
        demo: s.demo,
      });
      return id;
    },
    async createClient(db, c) {
      await store.insertClient(db, { ...c, secretHash: await service.hashSecret(c.secret) });
    },
    findResidentIdentity: (issuer, subject) => store.findResidentIdentity(ctx.db, issuer, subject),
    linkResidentIdentity: (issuer, subject, personId) => store.linkResidentIdentity(ctx.db, issuer, subject, personId),
  };
}
