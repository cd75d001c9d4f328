/**
 * Registered agents (代理人): a guardian, a relative living elsewhere or a care manager who
 * may apply for a person outside their household. Staff register them after seeing the
 * papers; the registration is checked against the register and recorded in the audit trail.
 */
import { recordAccess } from '../../platform/audit.js';
import type { Queryable } from '../../platform/db/db.js';
import { unprocessable } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { AccessContext } from '../access/index.js';
import type { ApplicationsRuntime } from './runtime.js';
import * as store from './store.js';

export type AgentKind = 'guardian' | 'relative' | 'care-manager' | 'other';

export interface NewAgent {
  principalId: string;
  agentId: string;
  kind: AgentKind;
  validFrom: string;
  validTo?: string;
}

/** Writes a registration (no checks: for the demo seed and callers that checked). */
export async function insertAgent(db: Queryable, a: NewAgent & { registeredBy?: string; demo: boolean }): Promise<string> {
  const id = newId();
  await store.insertAgent(db, { id, principalId: a.principalId, agentId: a.agentId, kind: a.kind, validFrom: a.validFrom, validTo: a.validTo ?? null, registeredBy: a.registeredBy ?? null, demo: a.demo });
  return id;
}

export async function registerAgent(rt: ApplicationsRuntime, ctx: AccessContext, a: NewAgent): Promise<string> {
  if (a.principalId === a.agentId) throw unprocessable('a person cannot be their own agent');
  if (a.validTo && a.validTo < a.validFrom) throw unprocessable('validTo is before validFrom');
  if (!(await rt.registry.bothExist(a.principalId, a.agentId))) throw unprocessable('both persons must be in the register');
  return rt.db.transaction(async (tx) => {
    const id = await insertAgent(tx, { ...a, registeredBy: ctx.principal.id, demo: rt.demo() });
    await recordAccess(tx, rt.access.auditEntry(ctx, 'agent.register', [a.principalId, a.agentId], ['agent']));
    return id;
  });
}
