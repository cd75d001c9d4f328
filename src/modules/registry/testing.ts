/** Factories for registry tests: valid change records a test then bends. */
import type { AuditEntryInput } from '../../platform/audit.js';
import type { Address, NewPerson } from './schema.js';
import type { ChangeRecord } from './changes-schema.js';
import { myNumberCheckDigit } from './mynumber.js';

let counter = 0;
export const ref = (label = 'chg') => `${label}-${(counter += 1)}-${Math.random().toString(36).slice(2, 8)}`;

export function address(block = '123番地'): Address {
  return {
    lgCode: '349992',
    machiazaId: '0001000',
    prefecture: '広島県',
    city: 'みどり町',
    town: '大字みどり',
    block,
    building: null,
    full: `広島県みどり町大字みどり${block}`,
    lat: 34.6,
    lon: 132.2,
  };
}

/** A valid fictional 個人番号 built from 11 digits. */
export function myNumber(seed: number): string {
  const first = String(10_000_000_000 + seed).slice(-11);
  return `${first}${myNumberCheckDigit(first)}`;
}

export function person(over: Partial<NewPerson> = {}): NewPerson {
  return {
    familyName: '髙橋',
    givenName: '一郎',
    familyNameKana: 'タカハシ',
    givenNameKana: 'イチロウ',
    sex: 1,
    birthDate: '1960-05-01',
    relationToHead: '本人',
    ...over,
  };
}

export function moveInFamily(over: Partial<Extract<ChangeRecord, { type: 'move-in' }>> = {}): Extract<ChangeRecord, { type: 'move-in' }> {
  return {
    type: 'move-in',
    sourceRef: ref('move-in'),
    effectiveDate: '2026-04-01',
    household: { address: address() },
    persons: [
      person(),
      person({ givenName: '花子', givenNameKana: 'ハナコ', sex: 2, birthDate: '1962-08-15', relationToHead: '妻' }),
      person({ givenName: '翔太', givenNameKana: 'ショウタ', birthDate: '2015-03-03', relationToHead: '子' }),
    ],
    ...over,
  };
}

export const systemAudit = (personIds: string[], fields: string[]): AuditEntryInput => ({
  actorType: 'client',
  actorId: 'test-core-system',
  actorName: 'core 住基 system (test)',
  role: 'spoke',
  purpose: 'registry-maintenance',
  action: 'registry.change',
  subjectIds: personIds,
  fields,
});
