/**
 * iCalendar (RFC 5545), written by hand: lines end in CRLF, are folded at 75 octets without
 * splitting a UTF-8 character, text is escaped (backslash, semicolon, comma, newline), and
 * times are UTC (…Z), so no VTIMEZONE is needed; X-WR-TIMEZONE tells calendar apps to show
 * the town's time.
 */
export interface IcalEvent {
  uid: string;
  start: Date;
  end: Date;
  summary: string;
  location?: string;
  description?: string;
  status?: 'CONFIRMED' | 'TENTATIVE' | 'CANCELLED';
  /** When this version of the event was made (LAST-MODIFIED); DTSTAMP is when the feed was made. */
  modified?: Date;
  /** The revision (SEQUENCE): grows with each change, so a calendar app takes the newer version. */
  sequence?: number;
  url?: string;
}

/** 20261205T000000Z */
export const icalTime = (d: Date): string => d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

/** TEXT as RFC 5545 writes it: backslash, semicolon and comma escaped; any line break (CRLF, LF or a lone CR) as \n. */
export const escapeText = (s: string): string => s.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r\n|\r|\n/g, '\\n');

/** Folds one content line: at most 75 octets a line, continuation lines start with a space. */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  let limit = 75;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, 'utf8');
    if (octets + size > limit) {
      out.push(current);
      current = ' ';
      octets = 1;
      limit = 75;
    }
    current += ch;
    octets += size;
  }
  out.push(current);
  return out.join('\r\n');
}

export function calendar(p: { name: string; prodId?: string; events: readonly IcalEvent[]; now: Date }): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:${p.prodId ?? '-//yakuba//reservations//JA'}`,
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(p.name)}`,
    'X-WR-TIMEZONE:Asia/Tokyo',
  ];
  for (const e of p.events) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${e.uid}`,
      `DTSTAMP:${icalTime(p.now)}`,
      `DTSTART:${icalTime(e.start)}`,
      `DTEND:${icalTime(e.end)}`,
      `SUMMARY:${escapeText(e.summary)}`,
    );
    if (e.location) lines.push(`LOCATION:${escapeText(e.location)}`);
    if (e.description) lines.push(`DESCRIPTION:${escapeText(e.description)}`);
    if (e.status) lines.push(`STATUS:${e.status}`);
    if (e.modified) lines.push(`LAST-MODIFIED:${icalTime(e.modified)}`);
    if (e.sequence !== undefined && Number.isInteger(e.sequence) && e.sequence >= 0) lines.push(`SEQUENCE:${e.sequence}`);
    if (e.url) lines.push(`URL:${e.url}`);
    lines.push('TRANSP:OPAQUE', 'END:VEVENT');
  }
  lines.push('END:VCALENDAR');
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
}
