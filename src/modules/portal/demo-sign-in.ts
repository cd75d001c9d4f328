/**
 * The demo sign-in: pick a fictional resident and become them. Offered only by a demo
 * installation outside production. Showing the list reads (fictional) personal data, so
 * it leaves an audit entry like any other read; if the entry cannot be written, nothing
 * is shown.
 */
import type { Config } from '../../platform/config.js';
import type { Db } from '../../platform/db/db.js';
import { recordAccess } from '../../platform/audit.js';
import { DomainError, notFound } from '../../platform/errors.js';
import type { DemoResident, Registry } from '../registry/index.js';

/** How many fictional residents the page offers. */
export const DEMO_LIST_SIZE = 20;

export const DEMO_LIST_FIELDS = ['familyName', 'givenName', 'familyNameKana', 'givenNameKana', 'birthDate'] as const;

export function demoSignInAvailable(demo: boolean, env: Config['env']): boolean {
  return demo && env !== 'production';
}

export interface DemoSignIn {
  /** The residents to offer, after recording the listing in the audit trail. */
  list(request: { requestId: string; sourceIp: string; log: { error(obj: object, msg: string): void } }): Promise<DemoResident[]>;
  /** Refuses (not found) anyone who is not an offered, current demo resident. */
  checkEligible(personId: string): Promise<void>;
}

export function createDemoSignIn(db: Db, registry: Pick<Registry, 'listDemoResidents' | 'isResident'>): DemoSignIn {
  return {
    async list(request) {
      const residents = await registry.listDemoResidents(DEMO_LIST_SIZE);
      if (residents.length === 0) return residents;
      try {
        await db.transaction((tx) =>
          recordAccess(tx, {
            actorType: 'system',
            actorId: 'demo-sign-in',
            actorName: 'demo sign-in page',
            role: null,
            purpose: 'self-service',
            action: 'demo.list',
            subjectIds: residents.map((r) => r.id),
            fields: DEMO_LIST_FIELDS,
            requestId: request.requestId,
            sourceIp: request.sourceIp,
          }),
        );
      } catch (err) {
        request.log.error({ err }, 'audit entry for the demo list could not be written');
        throw new DomainError('audit-unavailable', 'the access could not be recorded, so nothing is shown');
      }
      return residents;
    },

    async checkEligible(personId) {
      // The same rule as the list: only the offered demo households' heads, still resident.
      const offered = await registry.listDemoResidents(DEMO_LIST_SIZE);
      if (!offered.some((r) => r.id === personId) || !(await registry.isResident(personId))) {
        throw notFound('a demo resident with this id');
      }
    },
  };
}
