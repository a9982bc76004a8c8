// LEB128, the wasm binary format's integers (sizes, counts, indexes), read and written
// by the post-build steps that rewrite modules (shrink-bundle.mjs, order-functions.mjs).

/** The unsigned integer at `pos` in `buf`, and the position after it. */
export function leb(buf, pos) {
  let result = 0, shift = 0, byte;
  do { byte = buf[pos++]; result |= (byte & 0x7f) << shift; shift += 7; } while (byte & 0x80);
  return [result >>> 0, pos];
}

/** `n`, encoded. */
export function unsignedLeb(n) {
  const out = [];
  do { let byte = n & 0x7f; n >>>= 7; if (n) byte |= 0x80; out.push(byte); } while (n);
  return Buffer.from(out);
}
