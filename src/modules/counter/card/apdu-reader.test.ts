import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../platform/errors.js';
import { ApduCardReader } from './apdu-reader.js';
import { SimulatedCard, SimulatedCardReader } from './simulated.js';
import { CardReadError, type CardFields, type PcscTransport } from './types.js';

const TARO: CardFields = { name: '髙橋　太郎', address: '広島県みどり町大字みどり１２３番地４', birthDate: '1960-05-01', sex: 'male' };
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase().replace(/(..)(?!$)/g, '$1 ');

/** A transport to a simulated card that records every exchange; `rewrite` may change answers. */
function wire(card: SimulatedCard | undefined, rewrite?: (apdu: Uint8Array, answer: Uint8Array) => Uint8Array) {
  const log: { sent: string; got: string }[] = [];
  const transport: PcscTransport = {
    async transmit(apdu) {
      if (!card) throw new CardReadError('no-card', 'there is no card in the reader');
      let answer = card.transmit(apdu);
      if (rewrite) answer = rewrite(apdu, answer);
      log.push({ sent: hex(apdu), got: hex(answer) });
      return answer;
    },
  };
  return { reader: new ApduCardReader(transport), log };
}

async function failure(p: Promise<unknown>): Promise<CardReadError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(CardReadError);
  return err as CardReadError;
}

describe('reading a My Number card by APDU', () => {
  it('selects the text-input-assist AP, checks and verifies the PIN, selects and reads the basic-four file', async () => {
    const { reader, log } = wire(new SimulatedCard(TARO, { pin: '4321' }));
    expect(await reader.read('4321')).toEqual(TARO);
    expect(log.map((x) => x.sent)).toEqual([
      '00 A4 04 0C 0A D3 92 10 00 31 00 01 01 04 08',
      '00 A4 02 0C 02 00 11',
      '00 20 00 80',
      '00 20 00 80 04 34 33 32 31',
      '00 A4 02 0C 02 00 02',
      '00 B0 00 00 00',
    ]);
    expect(log.map((x) => x.got.slice(-5))).toEqual(['90 00', '90 00', '63 C3', '90 00', '90 00', '90 00']);
  });

  it('reports a wrong PIN with the tries left, then the lock, and never sends a PIN to a locked card', async () => {
    const card = new SimulatedCard(TARO);
    const { reader, log } = wire(card);
    expect(await failure(reader.read('0000'))).toMatchObject({ reason: 'wrong-pin', triesLeft: 2 });
    expect(await failure(reader.read('0000'))).toMatchObject({ reason: 'wrong-pin', triesLeft: 1 });
    expect(await failure(reader.read('0000'))).toMatchObject({ reason: 'locked' });
    expect(card.locked).toBe(true);
    log.length = 0;
    expect(await failure(reader.read('1234'))).toMatchObject({ reason: 'locked', message: 'the card PIN is locked' });
    expect(log.map((x) => x.sent)).not.toContain('00 20 00 80 04 31 32 33 34');
  });

  it('gives the tries back after the right PIN', async () => {
    const card = new SimulatedCard(TARO);
    const { reader } = wire(card);
    await failure(reader.read('9999'));
    await failure(reader.read('9999'));
    expect(await reader.read('1234')).toEqual(TARO);
    expect(card.triesLeft).toBe(3);
  });

  it('reads a PIN locked elsewhere as locked (6983)', async () => {
    const { reader } = wire(new SimulatedCard(TARO), (apdu, answer) => (apdu[1] === 0x20 ? Uint8Array.from([0x69, 0x83]) : answer));
    expect(await failure(reader.read('1234'))).toMatchObject({ reason: 'locked' });
  });

  it('refuses a PIN that is not 4 digits before anything reaches the card', async () => {
    const { reader, log } = wire(new SimulatedCard(TARO));
    for (const pin of ['123', '12345', '12a4', '１２３４', '']) {
      const err = await reader.read(pin).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(DomainError);
      expect(err).toMatchObject({ code: 'validation', message: 'the card PIN is 4 digits' });
    }
    expect(log).toHaveLength(0);
  });

  it('reports no card, a card without the application, and a reader that fails', async () => {
    expect(await failure(wire(undefined).reader.read('1234'))).toMatchObject({ reason: 'no-card' });
    const other = wire(new SimulatedCard(TARO), (apdu, answer) => (apdu[2] === 0x04 ? Uint8Array.from([0x6a, 0x82]) : answer));
    expect(await failure(other.reader.read('1234'))).toMatchObject({ reason: 'unreadable', message: expect.stringMatching(/no text-input-assist application/) });
    const broken = new ApduCardReader({ transmit: async () => Promise.reject(new Error('SCardTransmit failed: 0x80100016')) });
    const err = await failure(broken.read('1234'));
    expect(err).toMatchObject({ reason: 'unreadable' });
    expect(err.message).not.toMatch(/0x8010/);
    const mute = new ApduCardReader({ transmit: async () => Uint8Array.from([0x90]) });
    expect(await failure(mute.read('1234'))).toMatchObject({ reason: 'unreadable' });
  });

  it('reads a file longer than one READ BINARY in chunks', async () => {
    const long: CardFields = { ...TARO, address: `広島県みどり町大字みどり${'１２３番地'.repeat(30)}` };
    const { reader, log } = wire(new SimulatedCard(long));
    expect(await reader.read('1234')).toEqual(long);
    const reads = log.map((x) => x.sent).filter((s) => s.startsWith('00 B0'));
    expect(reads[0]).toBe('00 B0 00 00 00');
    expect(reads.length).toBeGreaterThan(1);
    expect(reads[1]).toMatch(/^00 B0 01 00 /); // the second chunk starts at offset 256
  });

  it('follows 6Cxx (wrong Le) and 61xx (more data: GET RESPONSE)', async () => {
    const card = new SimulatedCard(TARO);
    let pending: Uint8Array | undefined;
    const { reader, log } = wire(card, (apdu, answer) => {
      if (apdu[1] === 0xb0 && apdu[4] === 0x00) return Uint8Array.from([0x6c, answer.length - 2]); // "ask for exactly this many"
      if (apdu[1] === 0xb0) {
        pending = answer.subarray(10);
        return Uint8Array.from([...answer.subarray(0, 10), 0x61, pending.length - 2]);
      }
      if (apdu[1] === 0xc0 && pending) return pending;
      return answer;
    });
    expect(await reader.read('1234')).toEqual(TARO);
    const sent = log.map((x) => x.sent);
    expect(sent.filter((s) => s.startsWith('00 B0'))).toHaveLength(2);
    expect(sent.some((s) => s.startsWith('00 C0 00 00'))).toBe(true);
  });

  it('takes the data of a short file answered with 6282 (end of file before Le bytes)', async () => {
    const { reader } = wire(new SimulatedCard(TARO), (apdu, answer) => (apdu[1] === 0xb0 ? Uint8Array.from([...answer.subarray(0, -2), 0x62, 0x82]) : answer));
    expect(await reader.read('1234')).toEqual(TARO);
  });

  it('stops on a card that ends its file early', async () => {
    const long: CardFields = { ...TARO, address: `広島県みどり町大字みどり${'１２３番地'.repeat(30)}` };
    const { reader } = wire(new SimulatedCard(long), (apdu, answer) => (apdu[1] === 0xb0 && (apdu[2] ?? 0) > 0 ? Uint8Array.from([0x6b, 0x00]) : answer));
    expect(await failure(reader.read('1234'))).toMatchObject({ reason: 'unreadable', message: expect.stringMatching(/ended early/) });
  });
});

describe('the simulated card and reader', () => {
  it('keeps the basic-four file behind the PIN, and forgets the PIN when the application is selected again', () => {
    const card = new SimulatedCard(TARO);
    const send = (h: string) => hex(card.transmit(Uint8Array.from(Buffer.from(h.replace(/ /g, ''), 'hex'))));
    expect(send('00 A4 04 0C 0A D3 92 10 00 31 00 01 01 04 08')).toBe('90 00');
    expect(send('00 A4 02 0C 02 00 02')).toBe('90 00');
    expect(send('00 B0 00 00 00')).toBe('69 82'); // security status not satisfied
    expect(send('00 20 00 91 04 31 32 33 34')).toBe('90 00'); // VERIFY naming the PIN by short EF id
    expect(send('00 B0 82 00 04')).toMatch(/^FF 20 .. DF 90 00$/); // READ BINARY naming the file by short EF id
    expect(send('00 A4 04 0C 0A D3 92 10 00 31 00 01 01 04 08')).toBe('90 00');
    expect(send('00 B0 82 00 04')).toBe('69 82');
    expect(send('00 A4 02 0C 02 00 03')).toBe('6A 82'); // not held by the simulation
    expect(send('00 A4 04 0C 05 A0 00 00 00 03')).toBe('6A 82');
    expect(send('80 2A 00 80')).toBe('6E 00');
    expect(send('00 84 00 00 08')).toBe('6D 00');
    expect(send('00 A4 04 0C 0A D3 92')).toBe('67 00');
  });

  it('answers reads past the end of the file with 6B00 and reads shorter at its end', () => {
    const card = new SimulatedCard(TARO);
    const send = (h: string) => card.transmit(Uint8Array.from(Buffer.from(h.replace(/ /g, ''), 'hex')));
    send('00 A4 04 0C 0A D3 92 10 00 31 00 01 01 04 08');
    send('00 20 00 91 04 31 32 33 34');
    const whole = send('00 B0 82 00 00');
    const size = whole.length - 2;
    expect(size % 32).toBe(0);
    expect(whole[size - 1]).toBe(0xff); // filler
    expect(hex(send(`00 B0 00 ${size.toString(16).padStart(2, '0')} 10`))).toBe('6B 00');
    expect(send(`00 B0 00 ${(size - 3).toString(16).padStart(2, '0')} 10`)).toHaveLength(5);
  });

  it('reads whatever card is in its slot, one read at a time', async () => {
    const reader = new SimulatedCardReader();
    expect(reader.kind).toBe('simulated');
    expect(await failure(reader.read('1234'))).toMatchObject({ reason: 'no-card' });
    const hanako: CardFields = { name: '山田　花子', address: '広島県みどり町大字みどり１２番地３', birthDate: '1985-07-04', sex: 'female' };
    reader.insert(new SimulatedCard(TARO));
    const [a, b] = await Promise.all([reader.read('1234'), reader.read('1234')]);
    expect([a, b]).toEqual([TARO, TARO]);
    reader.insert(new SimulatedCard(hanako, { pin: '5555' }));
    expect(await reader.read('5555')).toEqual(hanako);
    expect(reader.inserted?.fields).toEqual(hanako);
    reader.remove();
    expect(await failure(reader.read('5555'))).toMatchObject({ reason: 'no-card' });
  });
});
