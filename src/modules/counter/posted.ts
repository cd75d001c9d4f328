/** A posted form (urlencoded) as names and their values, in the shape the desk reads. */
const MAX_FIELDS = 500;

export function readPostedForm(body: unknown): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (!body || typeof body !== 'object') return out;
  for (const [name, value] of Object.entries(body as Record<string, unknown>).slice(0, MAX_FIELDS)) {
    const values = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string').map((v) => v.slice(0, 4000));
    if (values.length) out.set(name, values);
  }
  return out;
}
