/** Finding procedures: by words (name, keywords, reading), life event, department or category. */
import type { Catalog } from './definitions.js';
import type { Procedure } from './definition-schema.js';

const fold = (s: string) =>
  s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u30a1-\u30f6]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60)) // katakana → hiragana
    .replace(/[\s・、。()（）]/g, '');

function haystack(p: Procedure): string {
  return fold([p.names.ja, p.names['ja-easy'], p.names.en, p.summary.ja, p.department.names.ja, ...(p.keywords ?? [])].join(' '));
}

export function searchProcedures(catalog: Catalog, q: { q?: string | undefined; lifeEvent?: string | undefined; department?: string | undefined; category?: string | undefined }): Procedure[] {
  const words = (q.q ?? '').split(/[\s\u3000]+/).map(fold).filter(Boolean);
  return [...catalog.procedures.values()].filter(
    (p) =>
      (!q.lifeEvent || (p.lifeEvents as string[]).includes(q.lifeEvent)) &&
      (!q.department || p.department.code === q.department) &&
      (!q.category || p.category === q.category) &&
      words.every((w) => haystack(p).includes(w)),
  );
}

export const summaryOf = (p: Procedure) => ({
  code: p.code,
  version: p.version,
  names: p.names,
  summary: p.summary,
  department: p.department,
  category: p.category,
  lifeEvents: p.lifeEvents,
  signIn: p.signIn,
  fee: p.fee,
  standardPeriodDays: p.standardPeriodDays,
});

/** Departments that own procedures, in catalogue order. */
export function departments(catalog: Catalog): Procedure['department'][] {
  const seen = new Map<string, Procedure['department']>();
  for (const p of catalog.procedures.values()) if (!seen.has(p.department.code)) seen.set(p.department.code, p.department);
  return [...seen.values()];
}
