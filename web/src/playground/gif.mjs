// A small animated-GIF encoder (GIF89a), for exporting the run as an animation.
//
// Colours are mapped to one fixed global palette — a 6 × 7 × 6 colour cube (252 colours) plus 4
// greys — which suits plots (flat colours, thin lines) and keeps the encoder to a page: no
// per-frame quantization, one palette, LZW with variable-length codes (8-bit minimum code size).

const PALETTE = (() => {
  const p = [];
  for (let r = 0; r < 6; ++r) for (let g = 0; g < 7; ++g) for (let b = 0; b < 6; ++b)
    p.push([Math.round((r * 255) / 5), Math.round((g * 255) / 6), Math.round((b * 255) / 5)]);
  for (const v of [64, 128, 192, 224]) p.push([v, v, v]);
  return p;
})();

// The palette index of an RGB colour: its cell of the cube (greys near one of the 4 greys use it).
function indexOf(r, g, b) {
  if (Math.abs(r - g) < 12 && Math.abs(g - b) < 12) {
    const greys = [64, 128, 192, 224];
    for (let k = 0; k < 4; ++k) if (Math.abs(r - greys[k]) < 16) return 252 + k;
  }
  return Math.round((r * 5) / 255) * 42 + Math.round((g * 6) / 255) * 6 + Math.round((b * 5) / 255);
}

class ByteWriter {
  constructor() { this.bytes = []; }
  byte(b) { this.bytes.push(b & 255); }
  word(w) { this.byte(w); this.byte(w >> 8); }
  string(s) { for (const c of s) this.byte(c.charCodeAt(0)); }
}

// LZW-compresses palette indices into GIF sub-blocks.
function lzw(indices, out) {
  const minCodeSize = 8, clear = 256, end = 257;
  let codeSize = minCodeSize + 1, nextCode = 258;
  let dict = new Map();
  let bitBuffer = 0, bitCount = 0;
  const block = [];
  const emit = (code) => {
    bitBuffer |= code << bitCount;
    bitCount += codeSize;
    while (bitCount >= 8) {
      block.push(bitBuffer & 255);
      bitBuffer >>>= 8;
      bitCount -= 8;
    }
  };
  out.byte(minCodeSize);
  emit(clear);
  let prefix = indices[0];
  for (let i = 1; i < indices.length; ++i) {
    const k = indices[i];
    const key = prefix * 256 + k;
    const found = dict.get(key);
    if (found !== undefined) { prefix = found; continue; }
    emit(prefix);
    if (nextCode < 4096) {
      dict.set(key, nextCode);
      if (nextCode === 1 << codeSize) codeSize += 1;  // the decoder widens at the same point
      nextCode += 1;
    } else {
      emit(clear);
      dict = new Map();
      codeSize = minCodeSize + 1;
      nextCode = 258;
    }
    prefix = k;
  }
  emit(prefix);
  emit(end);
  if (bitCount > 0) block.push(bitBuffer & 255);
  for (let i = 0; i < block.length; i += 255) {
    const chunk = block.slice(i, i + 255);
    out.byte(chunk.length);
    for (const b of chunk) out.byte(b);
  }
  out.byte(0);
}

// frames: [{data: Uint8ClampedArray RGBA, width, height}] all the same size; delay in 1/100 s.
export function encodeGif(frames, { delay = 20, loop = true } = {}) {
  const { width, height } = frames[0];
  const out = new ByteWriter();
  out.string('GIF89a');
  out.word(width); out.word(height);
  out.byte(0xf7);  // global colour table, 8 bits per colour, 256 entries
  out.byte(0); out.byte(0);
  for (let i = 0; i < 256; ++i) {
    const c = PALETTE[i] || [0, 0, 0];
    out.byte(c[0]); out.byte(c[1]); out.byte(c[2]);
  }
  if (loop) {  // NETSCAPE2.0: loop forever
    out.byte(0x21); out.byte(0xff); out.byte(11); out.string('NETSCAPE2.0');
    out.byte(3); out.byte(1); out.word(0); out.byte(0);
  }
  for (const frame of frames) {
    out.byte(0x21); out.byte(0xf9); out.byte(4); out.byte(0); out.word(delay); out.byte(0); out.byte(0);
    out.byte(0x2c); out.word(0); out.word(0); out.word(width); out.word(height); out.byte(0);
    const indices = new Uint8Array(width * height);
    for (let p = 0, q = 0; p < indices.length; ++p, q += 4)
      indices[p] = indexOf(frame.data[q], frame.data[q + 1], frame.data[q + 2]);
    lzw(indices, out);
  }
  out.byte(0x3b);
  return new Uint8Array(out.bytes);
}
