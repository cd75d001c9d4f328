/**
 * Certificates issued at the counter (証明書) and their fees as the town's fee ordinance
 * (手数料条例) sets them: data in `<proceduresDir>/counter/certificates.yaml`, checked at start.
 * A town edits the file; a broken one stops the server naming the file and the field.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { Type, type Static } from 'typebox';
import { Ajv } from 'ajv';
import { DefinitionError } from '../applications/index.js';

const Text = Type.Object(
  { ja: Type.String({ minLength: 1, maxLength: 200 }), 'ja-easy': Type.String({ minLength: 1, maxLength: 200 }), en: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);

export const CertificateKindSchema = Type.Object(
  {
    code: Type.String({ pattern: '^[a-z][a-z0-9-]{1,62}$' }),
    names: Text,
    /** Fee per copy in yen. */
    fee: Type.Integer({ minimum: 0, maximum: 100_000 }),
    department: Type.String({ pattern: '^[a-z][a-z0-9-]{1,62}$' }),
    /** Whether it is issued for a person of the register (and so names whom it is for). */
    perPerson: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type CertificateKind = Static<typeof CertificateKindSchema>;

const FileSchema = Type.Object({ certificates: Type.Array(CertificateKindSchema, { minItems: 1, maxItems: 100 }) }, { additionalProperties: false });
const checkFile = new Ajv({ allErrors: true, strict: false }).compile(FileSchema);

/** The certificate kinds of the town; none when the file is absent. */
export function loadCertificates(proceduresDir: string): CertificateKind[] {
  const file = join(proceduresDir, 'counter', 'certificates.yaml');
  if (!existsSync(file)) return [];
  let doc: unknown;
  try {
    doc = parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new DefinitionError(file, '', `is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  if (!checkFile(doc)) {
    const first = checkFile.errors![0]!;
    throw new DefinitionError(file, first.instancePath, first.message ?? 'is not valid');
  }
  const kinds = (doc as Static<typeof FileSchema>).certificates;
  const seen = new Set<string>();
  kinds.forEach((k, i) => {
    if (seen.has(k.code)) throw new DefinitionError(file, `/certificates/${i}/code`, `"${k.code}" is listed twice`);
    seen.add(k.code);
  });
  return kinds;
}

/** The fee of a procedure sent at the counter: its fee per copy, times a `copies` answer if it asks one. */
export function procedureFee(fee: number, data: Record<string, unknown>): { copies: number; unitFee: number } | undefined {
  if (fee <= 0) return undefined;
  const n = Number(data.copies);
  return { copies: Number.isInteger(n) && n >= 1 && n <= 20 ? n : 1, unitFee: fee };
}
