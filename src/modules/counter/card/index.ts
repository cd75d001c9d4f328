/** The counter's My Number card reading: the reader interface, the APDU reader, the simulated card and demo cards. */
export { CardReadError, splitCardName } from './types.js';
export type { CardFields, CardReader, CardReadProblem, CardSex, PcscTransport } from './types.js';
export { ApduCardReader } from './apdu-reader.js';
export { SimulatedCard, SimulatedCardReader } from './simulated.js';
export { demoCard, demoCardFields, cardStyleAddress, variantGlyphName } from './demo.js';
export type { DemoCardPerson, DemoCardVariant } from './demo.js';
