// JSON.parse turns 64-bit ids above 2^53 into wrong numbers (121310230513618944 -> ...940).
// The services are moving every id to a JSON string; until each one has, any integer literal
// too long to be exact is read as a string, so no id loses a digit in the console.
const BIG_INT = /("(?:\\.|[^"\\])*")|(-?\d{16,})(?![\d.eE])/g;

export function parseJson(text: string): unknown {
  return JSON.parse(text.replace(BIG_INT, (m, str: string | undefined, num: string | undefined) =>
    str !== undefined ? str : Number.isSafeInteger(Number(num)) ? m : `"${num}"`));
}

/** Ids are strings in the console whatever the wire gave: numbers and strings alike. */
export type Id = string;
export const idOf = (v: unknown): Id => (v === null || v === undefined ? '' : String(v));
