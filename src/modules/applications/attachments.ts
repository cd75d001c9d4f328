/**
 * Attachments are checked before anything is stored: the type is read from the file's own
 * first bytes (not the name or the declared type), the size against the slot's limit.
 */
import type { AttachmentSlot, Procedure } from './definition-schema.js';

export type AttachmentType = AttachmentSlot['types'][number];

/** The type a file's first bytes say it is, among the types attachments may have. */
export function sniffType(bytes: Uint8Array): AttachmentType | undefined {
  const starts = (sig: number[], at = 0) => sig.every((b, i) => bytes[at + i] === b);
  if (starts([0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf'; // %PDF-
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  return undefined;
}

export type AttachmentProblem = 'unknown-slot' | 'type' | 'size' | 'count' | 'empty';

export interface AttachmentCheck {
  slot: AttachmentSlot | undefined;
  type: AttachmentType | undefined;
  problem: AttachmentProblem | undefined;
}

/** Checks one file for a slot, given how many files the slot already holds. */
export function checkAttachment(p: Procedure, slotId: string, bytes: Uint8Array, already: number): AttachmentCheck {
  const slot = p.attachments.find((a) => a.id === slotId);
  if (!slot) return { slot, type: undefined, problem: 'unknown-slot' };
  if (bytes.length === 0) return { slot, type: undefined, problem: 'empty' };
  if (bytes.length > slot.maxBytes) return { slot, type: undefined, problem: 'size' };
  const type = sniffType(bytes);
  if (!type || !slot.types.includes(type)) return { slot, type, problem: 'type' };
  if (already >= (slot.maxFiles ?? 1)) return { slot, type, problem: 'count' };
  return { slot, type, problem: undefined };
}

/** A file name safe to store and to send back in Content-Disposition. */
export function safeFilename(name: string, type: AttachmentType): string {
  // eslint-disable-next-line no-control-regex
  const base = name.replace(/[\u0000-\u001F\u007F/\\"]/g, '').trim().slice(0, 200);
  const ext = type === 'application/pdf' ? '.pdf' : type === 'image/png' ? '.png' : '.jpg';
  return base || `attachment${ext}`;
}

export const formatBytes = (n: number): string => (n >= 1_048_576 ? `${(n / 1_048_576).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`);
