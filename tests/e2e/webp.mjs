// Reads a WebP file's canvas size from its header (VP8, VP8L or VP8X), for tests.
export function webpInfo(buf) {
  const b = Buffer.from(buf);
  if (b.toString('ascii', 0, 4) !== 'RIFF' || b.toString('ascii', 8, 12) !== 'WEBP') throw new Error('not a WebP file');
  const chunk = b.toString('ascii', 12, 16);
  if (chunk === 'VP8X') {
    return { chunk, width: 1 + b.readUIntLE(24, 3), height: 1 + b.readUIntLE(27, 3) };
  }
  if (chunk === 'VP8 ') {
    // frame tag (3 bytes) + start code 9d 01 2a, then 14-bit width and height
    if (b[23] !== 0x9d || b[24] !== 0x01 || b[25] !== 0x2a) throw new Error('bad VP8 start code');
    return { chunk, width: b.readUInt16LE(26) & 0x3fff, height: b.readUInt16LE(28) & 0x3fff };
  }
  if (chunk === 'VP8L') {
    if (b[20] !== 0x2f) throw new Error('bad VP8L signature');
    const bits = b.readUInt32LE(21);
    return { chunk, width: 1 + (bits & 0x3fff), height: 1 + ((bits >> 14) & 0x3fff) };
  }
  throw new Error(`unknown WebP chunk ${chunk}`);
}
