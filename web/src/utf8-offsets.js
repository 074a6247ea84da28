// utf8-offsets.js - turns byte offsets into the output the VM wrote into string offsets of the
// text a streaming TextDecoder makes of the same bytes.
//
// The Session reports output marks as [instructions, byteEnd] over the bytes of one drain; the
// page wants [instructions, charEnd] over the decoded text (UTF-16 code units). A character split
// across two drains is decoded with the second one, so the counter keeps the incomplete tail of
// a drain ("carry") and counts it at the start of the next.
// Invariant: for well-formed UTF-8, convert()'s offsets index exactly the text that
// `decoder.decode(bytes, {stream: !final})` returned for the same drain; malformed bytes count
// one unit each (as the decoder's U+FFFD does for most of them) and the page clamps to the text.

const EMPTY = new Uint8Array(0);

function sequenceLength(lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xf0) return 4;
  if (lead >= 0xe0) return 3;
  if (lead >= 0xc0) return 2;
  return 1;  // a stray continuation byte: one replacement character
}

// Bytes at the end of `bytes` that start a character not complete yet.
export function incompleteTail(bytes) {
  for (let k = 1; k <= Math.min(3, bytes.length); k++) {
    const b = bytes[bytes.length - k];
    if ((b & 0xc0) === 0x80) continue;
    return b >= 0xc0 && sequenceLength(b) > k ? k : 0;
  }
  return 0;
}

export class Utf8Offsets {
  constructor() {
    this.carry = EMPTY;
  }

  // marks: [[instr, byteEnd], ...] over `bytes` (ascending); returns [[instr, charEnd], ...].
  convert(bytes, marks, final) {
    const all = new Uint8Array(this.carry.length + bytes.length);
    all.set(this.carry, 0);
    all.set(bytes, this.carry.length);
    const complete = final ? all.length : all.length - incompleteTail(all);
    const out = [];
    let i = 0;
    let units = 0;
    for (const [instr, byteEnd] of marks) {
      const end = Math.min(complete, this.carry.length + Math.max(0, byteEnd));
      while (i < end) {
        const n = sequenceLength(all[i]);
        if (i + n > end) break;
        units += n === 4 ? 2 : 1;
        i += n;
      }
      out.push([instr, units]);
    }
    this.carry = final ? EMPTY : all.slice(complete);
    return out;
  }
}
