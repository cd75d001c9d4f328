import { randomUUID } from 'node:crypto';

/** New record ids are random UUIDs: they reveal nothing and merge across installations. */
export const newId = (): string => randomUUID();
