/**
 * Writes the generated demo town into the registry in chunks (one transaction per chunk,
 * short statements), so a million residents load without holding PGlite for long.
 * Every row is marked demo.
 */
import type { Db } from '../../../platform/db/db.js';
import { newId } from '../../../platform/ids.js';
import * as store from '../store.js';
import * as hist from '../history-store.js';
import { kanaMatchKey, nameMatchKey } from '../matchkey.js';
import { sealMyNumber, type FieldKeys } from '../mynumber.js';
import { generateTown, type GeneratedHousehold } from './generator.js';

export interface SeedOptions {
  residents: number;
  seed: number;
  today: string;
  chunkHouseholds?: number;
  onProgress?: (residentsDone: number) => void;
}

export async function seedDemoTown(db: Db, keys: FieldKeys, opts: SeedOptions): Promise<{ residents: number; households: number }> {
  let chunk: GeneratedHousehold[] = [];
  let residents = 0;
  let households = 0;
  const size = opts.chunkHouseholds ?? 400;
  const flush = async () => {
    if (chunk.length === 0) return;
    const batch = chunk;
    chunk = [];
    const addresses = batch.map((h) => ({ id: newId(), a: h.address }));
    const persons: store.NewPersonRow[] = [];
    const history: { personId: string; from: string; s: hist.Snapshot; changeId: null }[] = [];
    batch.forEach((h, i) => {
      const addressId = addresses[i]!.id;
      for (const m of h.members) {
        const sealed = sealMyNumber(keys, m.myNumber);
        persons.push({
          id: m.id,
          familyName: m.familyName,
          givenName: m.givenName,
          familyNameKana: m.familyNameKana,
          givenNameKana: m.givenNameKana,
          matchKey: nameMatchKey(m.familyName, m.givenName),
          kanaKey: kanaMatchKey(m.familyNameKana, m.givenNameKana),
          sex: m.sex,
          birthDate: m.birthDate,
          status: 'resident',
          householdId: h.id,
          relationToHead: m.relationToHead,
          addressId,
          myNumberEnc: sealed.enc,
          myNumberHash: sealed.hash,
          demo: true,
        });
        history.push({
          personId: m.id,
          from: m.birthDate > h.createdOn ? m.birthDate : h.createdOn,
          s: {
            familyName: m.familyName, givenName: m.givenName, familyNameKana: m.familyNameKana, givenNameKana: m.givenNameKana,
            status: 'resident', householdId: h.id, relationToHead: m.relationToHead, addressId,
          },
          changeId: null,
        });
      }
    });
    await db.transaction(async (tx) => {
      await store.insertAddresses(tx, addresses);
      await store.insertHouseholds(
        tx,
        batch.map((h, i) => ({ id: h.id, headPersonId: h.members[0]?.id ?? null, addressId: addresses[i]!.id, createdOn: h.createdOn, demo: true })),
      );
      await store.insertPersons(tx, persons);
      await hist.openHistoryRows(tx, history);
    });
    residents += persons.length;
    households += batch.length;
    opts.onProgress?.(residents);
  };
  for (const h of generateTown({ residents: opts.residents, seed: opts.seed, today: opts.today })) {
    chunk.push(h);
    if (chunk.length >= size) await flush();
  }
  await flush();
  return { residents, households };
}

