/**
 * Cursor pagination. A cursor is opaque to clients and encrypted, because the keyset it
 * carries (e.g. a kana reading) can be personal data and would otherwise sit in URLs.
 */
import { decryptField, encryptField } from '../crypto.js';
import { validationError } from '../errors.js';

export function encodeCursor(key: Buffer, value: Record<string, unknown>): string {
  return Buffer.from(encryptField(key, JSON.stringify(value))).toString('base64url');
}

export function decodeCursor<T>(key: Buffer, cursor: string, isValid: (v: unknown) => v is T): T {
  const refuse = () => validationError('cursor is not valid: use the `next` link of the previous page', [{ field: 'cursor', message: 'is not a cursor this server issued' }]);
  try {
    const value: unknown = JSON.parse(decryptField(key, Buffer.from(cursor, 'base64url').toString('utf8')));
    if (!isValid(value)) throw refuse();
    return value;
  } catch {
    throw refuse();
  }
}

export const limitParam = { minimum: 1, maximum: 100, default: 20 } as const;
