/**
 * The access rules: who a request is (staff session, resident session, spoke token), what
 * purposes and fields they are granted, and whether one access may happen. Purpose codes
 * and role grants are data (access.purposes, access.roles), loaded at start.
 */
import { hash, verify } from '@node-rs/argon2';
import type { Db, Queryable } from '../../platform/db/db.js';
import type { Principal } from '../../platform/auth/principal.js';
import { actorRole } from '../../platform/auth/principal.js';
import type { AuditEntryInput } from '../../platform/audit.js';
import { DomainError, unauthenticated, validationError } from '../../platform/errors.js';
import { signToken, verifyToken } from '../../platform/crypto.js';
import * as store from './store.js';

export const SIGN_IN_LIMIT = 5;
export const LOCK_MINUTES = 15;
/** Sensitive person fields: readable only when both the purpose and the principal allow them. */
export const SENSITIVE_FIELDS = ['myNumber'] as const;

export interface Grants {
  purposes: Map<string, store.PurposeRow>;
  roles: Map<string, store.RoleRow>;
}

export async function loadGrants(db: Queryable): Promise<Grants> {
  const [purposes, roles] = await Promise.all([store.listPurposes(db), store.listRoles(db)]);
  return { purposes: new Map(purposes.map((p) => [p.code, p])), roles: new Map(roles.map((r) => [r.code, r])) };
}

export const hashSecret = (secret: string) => hash(secret);

// A real argon2id hash of a random string: unknown logins cost the same time as known ones.
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$psdMFcaBhPHBxisvuY0TmQ$Q6iGGwF3hc/m5YXKpkzFSmObEuUmNrWOlpL5jhG4PhM';

export type SignInResult =
  | { ok: true; staff: store.StaffRow }
  | { ok: false; reason: 'invalid' | 'locked' };

export async function signInStaff(db: Db, login: string, password: string, now = new Date()): Promise<SignInResult> {
  const staff = await store.findStaffByLogin(db, login.trim().toLowerCase());
  if (!staff || !staff.active) {
    await verify(DUMMY_HASH, password).catch(() => false);
    return { ok: false, reason: 'invalid' };
  }
  if (staff.locked_until && staff.locked_until > now) {
    return { ok: false, reason: 'locked' };
  }
  const good = await verify(staff.password_hash, password).catch(() => false);
  if (!good) {
    await store.recordFailedSignIn(db, staff.id, SIGN_IN_LIMIT, LOCK_MINUTES);
    const after = await store.findStaffById(db, staff.id);
    if (after?.locked_until && after.locked_until > now) return { ok: false, reason: 'locked' };
    return { ok: false, reason: 'invalid' };
  }
  await store.recordSignIn(db, staff.id);
  return { ok: true, staff };
}

export function staffGrants(grants: Grants, roles: readonly string[]): { purposes: string[]; fields: string[]; fieldsByPurpose: Record<string, string[]> } {
  const purposes = new Set<string>();
  const fields = new Set<string>();
  const byPurpose: Record<string, Set<string>> = {};
  for (const code of roles) {
    const role = grants.roles.get(code);
    if (!role) continue;
    for (const p of role.purposes) {
      purposes.add(p);
      byPurpose[p] ??= new Set();
      role.fields.forEach((f) => byPurpose[p]!.add(f));
    }
    role.fields.forEach((f) => fields.add(f));
  }
  const fieldsByPurpose = Object.fromEntries(Object.entries(byPurpose).map(([p, f]) => [p, [...f].sort()]));
  return { purposes: [...purposes].sort(), fields: [...fields].sort(), fieldsByPurpose };
}

/**
 * Whether a principal still holds `purpose` now: the client or staff account is active and
 * still granted it. Background work acting on an earlier grant (webhooks) asks this first.
 */
export async function grantHolds(db: Queryable, grants: Grants, owner: { kind: 'client' | 'staff'; id: string }, purpose: string): Promise<boolean> {
  if (owner.kind === 'client') {
    const client = await store.findClient(db, owner.id);
    return !!client && client.active && client.purposes.includes(purpose);
  }
  const staff = await store.findStaffById(db, owner.id);
  return !!staff && staff.active && staffGrants(grants, staff.roles).purposes.includes(purpose);
}

// ---- sessions (signed cookies) and tokens -------------------------------------------------

export interface SessionPayload extends Record<string, unknown> {
  k: 'staff' | 'resident';
  id: string;
  /** staff: session version (sign-out everywhere bumps it). */
  sv?: number;
  /** staff: the purpose chosen for the current task. */
  tp?: string;
  /** resident: signed in through the demo sign-in. */
  demo?: boolean;
  /** resident: the session's id, so signing out can revoke it. */
  sid?: string;
}

export const makeSession = (key: Buffer, payload: SessionPayload, ttlSeconds: number) => signToken(key, payload, ttlSeconds);

export async function issueClientToken(
  db: Queryable,
  key: Buffer,
  clientId: string,
  clientSecret: string,
  ttlSeconds: number,
): Promise<{ accessToken: string; expiresIn: number; scope: string } | undefined> {
  const client = await store.findClient(db, clientId);
  if (!client || !client.active) {
    await verify(DUMMY_HASH, clientSecret).catch(() => false);
    return undefined;
  }
  if (!(await verify(client.secret_hash, clientSecret).catch(() => false))) return undefined;
  return {
    accessToken: signToken(key, { typ: 'client', cid: client.id }, ttlSeconds),
    expiresIn: ttlSeconds,
    scope: client.purposes.join(' '),
  };
}

/** Resolves a bearer token to a spoke. Throws 401 naming what is wrong with the token. */
export async function principalFromToken(db: Queryable, key: Buffer, token: string): Promise<Principal> {
  const check = verifyToken<{ typ: string; cid: string }>(key, token);
  if (!check.ok) {
    throw unauthenticated(check.reason === 'expired' ? 'the access token has expired' : 'the access token is not valid');
  }
  if (check.payload.typ !== 'client' || typeof check.payload.cid !== 'string') throw unauthenticated('the access token is not valid');
  const client = await store.findClient(db, check.payload.cid);
  if (!client || !client.active) throw unauthenticated('the client of this token is no longer active');
  return { kind: 'client', id: client.id, name: client.name, purposes: client.purposes, fields: client.fields };
}

/** Resolves a session cookie; an invalid or outdated one is simply no session. */
export async function principalFromSession(
  db: Queryable,
  grants: Grants,
  key: Buffer,
  cookie: string,
  isResident: (personId: string) => Promise<boolean> = async () => true,
): Promise<Principal | undefined> {
  const check = verifyToken<SessionPayload>(key, cookie);
  if (!check.ok) return undefined;
  const s = check.payload;
  if (s.k === 'staff') {
    const staff = await store.findStaffById(db, s.id);
    if (!staff || !staff.active || staff.session_version !== s.sv) return undefined;
    const g = staffGrants(grants, staff.roles);
    return {
      kind: 'staff',
      id: staff.id,
      name: staff.display_name,
      login: staff.login,
      department: staff.department,
      roles: staff.roles,
      purposes: g.purposes,
      fields: g.fields,
      fieldsByPurpose: g.fieldsByPurpose,
      taskPurpose: typeof s.tp === 'string' && g.purposes.includes(s.tp) ? s.tp : undefined,
    };
  }
  if (s.k === 'resident' && typeof s.id === 'string') {
    if (typeof s.sid !== 'string' || (await store.isSessionRevoked(db, s.sid))) return undefined;
    // Someone who moved out or died since signing in no longer has a session.
    if (!(await isResident(s.id))) return undefined;
    const exp = (s as { exp?: number }).exp ?? 0;
    return {
      kind: 'resident',
      id: s.id,
      name: '',
      purposes: ['self-service', 'application-intake'],
      fields: [],
      demo: s.demo === true,
      sessionId: s.sid,
      sessionExpires: new Date(exp * 1000),
    };
  }
  return undefined;
}

// ---- the purpose check ------------------------------------------------------------------

export interface AccessContext {
  principal: Principal;
  purpose: string;
  requestId: string;
  sourceIp: string;
}

export interface AccessRequest {
  principal: Principal | undefined;
  /** X-Purpose header value, if any. */
  purposeHeader: string | undefined;
  requestId: string;
  sourceIp: string;
  /** Purposes this action serves; a granted purpose outside this list is refused. */
  purposes?: readonly string[];
  /** Fields the caller asked for; sensitive ones need an explicit grant. */
  fields?: readonly string[];
  /** Principal kinds allowed; default: staff and client. */
  kinds?: readonly Principal['kind'][];
  /** The purpose when no X-Purpose is named (e.g. applying names `application-intake` itself). */
  defaultPurpose?: string;
}

export function authorize(grants: Grants, r: AccessRequest): AccessContext {
  const p = r.principal;
  if (!p) throw unauthenticated();
  const kinds = r.kinds ?? ['staff', 'client'];
  if (!kinds.includes(p.kind)) throw new DomainError('forbidden', `this action is not open to ${p.kind} accounts`);
  const header = r.purposeHeader?.trim();
  const purpose = header || (p.kind === 'staff' ? p.taskPurpose : undefined) || r.defaultPurpose || (p.kind === 'resident' ? 'self-service' : undefined);
  if (!purpose) {
    throw new DomainError('purpose-required', `name the purpose of this access in the X-Purpose header (granted to you: ${p.purposes.join(', ') || 'none'})`);
  }
  const def = grants.purposes.get(purpose);
  if (!def) throw validationError(`unknown purpose "${purpose.slice(0, 64)}"`, [{ field: 'X-Purpose', message: 'is not a known purpose code' }]);
  if (!p.purposes.includes(purpose)) {
    throw new DomainError('purpose-not-granted', `the purpose "${purpose}" is not granted to this ${p.kind === 'client' ? 'client' : 'account'}`);
  }
  if (r.purposes && !r.purposes.includes(purpose)) {
    throw new DomainError('purpose-not-granted', `the purpose "${purpose}" does not cover this action (allowed: ${r.purposes.join(', ')})`);
  }
  for (const field of r.fields ?? []) {
    if (!(SENSITIVE_FIELDS as readonly string[]).includes(field)) continue;
    const granted = p.kind === 'staff' ? (p.fieldsByPurpose[purpose] ?? []) : p.fields;
    if (!granted.includes(field)) {
      throw new DomainError('field-not-granted', `the field "${field}" is not granted to this ${p.kind === 'client' ? 'client' : 'account'}`, {
        detail: { field },
      });
    }
    if (!def.sensitive_fields.includes(field)) {
      throw new DomainError('field-not-granted', `the field "${field}" may not be read for the purpose "${purpose}"`, { detail: { field } });
    }
  }
  return { principal: p, purpose, requestId: r.requestId, sourceIp: r.sourceIp };
}

/** The audit entry for one access made under `ctx`. */
export function auditEntry(ctx: AccessContext, action: string, subjectIds: readonly string[], fields: readonly string[]): AuditEntryInput {
  return {
    actorType: ctx.principal.kind,
    actorId: ctx.principal.id,
    actorName: ctx.principal.kind === 'resident' ? 'resident' : ctx.principal.name,
    role: actorRole(ctx.principal),
    purpose: ctx.purpose,
    action,
    subjectIds,
    fields,
    requestId: ctx.requestId,
    sourceIp: ctx.sourceIp,
  };
}
