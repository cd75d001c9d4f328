/**
 * What the registry tells the counter (書かない窓口): who the visitor is, found from their My
 * Number card, a search, or the pre-entry they made, and their household for the visit screen.
 * Staff only; every call is one audit entry under the caller's purpose (`counter-service`).
 *
 * Matching a card never picks silently: exact first — the name as written (width and spaces
 * aside), the birth date, the sex and the address as written — and only when nobody matches
 * exactly, everyone whose name has the same matching key (variant glyphs folded: 髙/高) and the
 * same birth date. Staff confirm whoever is shown.
 */
import type { Db, Queryable } from '../../platform/db/db.js';
import { recordAccess } from '../../platform/audit.js';
import { forbidden, notFound, validationError } from '../../platform/errors.js';
import type { ReadContext } from './service.js';
import type { Address } from './schema.js';
import { nameMatchKey, normalizeQuery } from './matchkey.js';
import * as store from './store.js';

export interface CounterPerson {
  id: string;
  familyName: string;
  givenName: string;
  familyNameKana: string;
  givenNameKana: string;
  birthDate: string;
  /** ISO 5218: 0 not known, 1 male, 2 female, 9 not applicable. */
  sex: number;
  /** The address as registered (連結表記), one string. */
  address: string;
  relationToHead: string;
  status: string;
  demo?: true;
}

/** The four fields of a My Number card's text-input-assist AP, as the counter's card reader gives them. */
export interface CardIdentity {
  name: string;
  address: string;
  birthDate: string;
  sex: 'male' | 'female' | 'not-known' | 'not-applicable';
}

/** A resident the card may belong to, and how the card compares with the register. */
export interface CardCandidate extends CounterPerson {
  card: {
    /** `same`: the name as written; `variant`: only the matching key agrees (another glyph, a kana or spacing difference). */
    name: 'same' | 'variant';
    address: 'same' | 'different';
    sex: 'same' | 'different';
  };
}

export interface CardMatch {
  how: 'exact' | 'key' | 'none';
  /** `exact`: everyone who matches exactly; `key`: everyone with the name's key and the birth date; `none`: nobody. */
  people: CardCandidate[];
}

export const COUNTER_FIELDS = ['familyName', 'givenName', 'familyNameKana', 'givenNameKana', 'birthDate', 'sex', 'status', 'relationToHead', 'address'];

/** Most people one card can match (more would be a data problem, and staff search instead). */
const MAX_CANDIDATES = 20;
const MAX_SEARCH = 100;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
function isIsoDate(s: string): boolean {
  const d = new Date(`${s}T00:00:00Z`);
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
}
const SEX_CODE: Record<CardIdentity['sex'], number> = { 'not-known': 0, male: 1, female: 2, 'not-applicable': 9 };

// eslint-disable-next-line no-misleading-character-class -- invisible marks listed one by one on purpose
const INVISIBLE = /[\s\u200B-\u200D\u2060\uFEFF\uFE00-\uFE0F\u{E0100}-\u{E01EF}]/gu;
const DASHES = /[\u2010-\u2015\u2212\uFE63\uFF0D]/g;

/**
 * A name or an address "as written", for comparing a card with the register: NFKC (full-width
 * digits and letters become plain ones), no spaces or invisible marks, one kind of dash (and ー
 * between digits, a common slip, read as a dash). Glyphs are kept: 髙 and 高 stay different.
 */
export function asWritten(s: string): string {
  return s
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .replace(DASHES, '-')
    .replace(/(?<=\d)[ー-](?=\d)/g, '-');
}

function staffOnly(ctx: ReadContext): void {
  if (ctx.principal.kind === 'resident') throw forbidden('counter look-ups are for staff');
}

function toCounterPerson(r: store.PersonRow, addresses: Map<string, Address>): CounterPerson {
  return {
    id: r.id,
    familyName: r.family_name,
    givenName: r.given_name,
    familyNameKana: r.family_name_kana,
    givenNameKana: r.given_name_kana,
    birthDate: r.birth_date,
    sex: r.sex,
    address: addresses.get(r.address_id)?.full ?? '',
    relationToHead: r.relation_to_head,
    status: r.status,
    ...(r.demo ? { demo: true as const } : {}),
  };
}

/** Residents the card may belong to: exact matches if any, else everyone with the key and birth date. One audit entry. */
export async function matchCard(db: Db, ctx: ReadContext, card: CardIdentity): Promise<CardMatch> {
  staffOnly(ctx);
  const sex = SEX_CODE[card.sex];
  if (!isIsoDate(card.birthDate) || sex === undefined || !card.name.trim()) {
    throw validationError('the card fields are not complete', [{ field: 'card', message: 'needs a name, a birth date YYYY-MM-DD and a sex' }]);
  }
  return db.transaction(async (tx) => {
    const rows = await store.residentsByKey(tx, nameMatchKey(card.name, ''), card.birthDate, MAX_CANDIDATES);
    const addresses = await store.findAddresses(tx, rows.map((r) => r.address_id));
    const name = asWritten(card.name);
    const address = asWritten(card.address);
    const candidates: CardCandidate[] = rows.map((r) => {
      const p = toCounterPerson(r, addresses);
      return {
        ...p,
        card: {
          name: asWritten(p.familyName + p.givenName) === name ? 'same' : 'variant',
          address: asWritten(p.address) === address ? 'same' : 'different',
          sex: r.sex === sex ? 'same' : 'different',
        },
      };
    });
    const exact = candidates.filter((c) => c.card.name === 'same' && c.card.address === 'same' && c.card.sex === 'same');
    const how = exact.length > 0 ? 'exact' : candidates.length > 0 ? 'key' : 'none';
    const people = how === 'exact' ? exact : candidates;
    await recordAccess(tx, ctx.audit(people.map((p) => p.id), COUNTER_FIELDS, 'person.match-card'));
    return { how, people };
  });
}

/**
 * Residents by name, reading (kana) or birth date, as the staff search box reads a query
 * (era dates such as S35.5.1 too); at most `limit` (≤ 100), by reading. One audit entry.
 */
export async function searchForCounter(db: Db, ctx: ReadContext, q: string, limit: number): Promise<CounterPerson[]> {
  staffOnly(ctx);
  const nq = normalizeQuery(q);
  if (!nq.birthDate && !nq.nameKey && !nq.kanaKey) {
    throw validationError('type a name, a reading or a birth date to search', [{ field: 'q', message: 'is empty' }]);
  }
  const max = Math.max(1, Math.min(MAX_SEARCH, Math.floor(limit) || 1));
  return db.transaction(async (tx) => {
    const rows = await store.searchPersons(tx, {
      nameKey: nq.birthDate ? undefined : nq.nameKey,
      kanaKey: nq.birthDate ? undefined : nq.kanaKey,
      birthDate: nq.birthDate,
      includeAll: false,
      limit: max,
    });
    const addresses = await store.findAddresses(tx, rows.map((r) => r.address_id));
    await recordAccess(tx, ctx.audit(rows.map((r) => r.id), COUNTER_FIELDS, 'person.search'));
    return rows.map((r) => toCounterPerson(r, addresses));
  });
}

/**
 * One person (whatever their status) and, while they are a resident, the resident members of
 * their household — themselves included, the head first. One audit entry for all of them.
 */
export async function personForCounter(db: Db, ctx: ReadContext, id: string): Promise<CounterPerson & { household: CounterPerson[] }> {
  staffOnly(ctx);
  if (!UUID.test(id)) throw notFound(`person ${id}`);
  return db.transaction(async (tx: Queryable) => {
    const person = await store.findPerson(tx, id);
    if (!person) throw notFound(`person ${id}`);
    const members = person.status === 'resident' && person.household_id ? await store.householdMembers(tx, person.household_id, { residentsOnly: true }) : [];
    const addresses = await store.findAddresses(tx, [person.address_id, ...members.map((m) => m.address_id)]);
    const ids = [...new Set([person.id, ...members.map((m) => m.id)])];
    await recordAccess(tx, ctx.audit(ids, COUNTER_FIELDS, 'person.read-for-counter'));
    return { ...toCounterPerson(person, addresses), household: members.map((m) => toCounterPerson(m, addresses)) };
  });
}
