// A small ZIP writer: stored entries (no compression — photos are already compressed), CRC-32,
// UTF-8 names. Enough for "download all" of up to a few hundred MB; no ZIP64.
//
//   const blob = zipBlob([{ name: 'a.webp', bytes, crc }]);
//
// `bytes` is a Uint8Array (crc optional, computed if absent) or a Blob (crc required). The page's
// workers compute each result's CRC while they still hold its bytes and the page keeps results as
// Blobs, so building the archive on the main thread only writes headers: the Blob constructor
// joins the parts without copying them through JavaScript. Tested under Node: web/test/zip.test.mjs.

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (IEEE 802.3, as in ZIP and PNG) of `bytes`. `crc32(utf8('123456789')) === 0xcbf43926`. */
export function crc32(bytes, crc = 0) {
  let c = ~crc >>> 0;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

const MAX_STORED = 0xffffffff;

/**
 * Makes names unique the way file managers do: `a.webp`, `a (2).webp`, …
 * @param {string[]} names
 */
export function uniqueNames(names) {
  const seen = new Set();
  return names.map((name) => {
    let candidate = name;
    const dot = name.lastIndexOf('.');
    const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
    for (let i = 2; seen.has(candidate.toLowerCase()); i++) candidate = `${stem} (${i})${ext}`;
    seen.add(candidate.toLowerCase());
    return candidate;
  });
}

function dosDateTime(date) {
  const y = Math.max(1980, date.getFullYear());
  return {
    time: (date.getHours() << 11) | (date.getMinutes() << 5) | (date.getSeconds() >> 1),
    date: ((y - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
  };
}

/**
 * The parts of a stored ZIP archive (in order) for `entries`.
 * @param {{name: string, bytes: Uint8Array|Blob, crc?: number}[]} entries
 * @param {Date} [date] modification time written for every entry
 * @returns {(Uint8Array|Blob)[]}
 */
export function zipParts(entries, date = new Date()) {
  const enc = new TextEncoder();
  const { time, date: day } = dosDateTime(date);
  const names = uniqueNames(entries.map((e) => e.name));
  const parts = [];
  const central = [];
  let offset = 0;
  entries.forEach((entry, i) => {
    const name = enc.encode(names[i]);
    const { bytes } = entry;
    const size = bytes.size ?? bytes.length;
    if (size >= MAX_STORED || offset >= MAX_STORED) throw new RangeError('archive too large for ZIP without ZIP64');
    const crc = entry.crc ?? (bytes instanceof Uint8Array ? crc32(bytes) : undefined);
    if (crc === undefined) throw new TypeError(`${names[i]}: a Blob entry needs its crc`);
    const local = new DataView(new ArrayBuffer(30));
    local.setUint32(0, 0x04034b50, true);
    local.setUint16(4, 20, true); // version needed: 2.0
    local.setUint16(6, 0x0800, true); // UTF-8 names
    local.setUint16(8, 0, true); // stored
    local.setUint16(10, time, true);
    local.setUint16(12, day, true);
    local.setUint32(14, crc, true);
    local.setUint32(18, size, true);
    local.setUint32(22, size, true);
    local.setUint16(26, name.length, true);
    local.setUint16(28, 0, true);
    parts.push(new Uint8Array(local.buffer), name, bytes);

    const cd = new DataView(new ArrayBuffer(46));
    cd.setUint32(0, 0x02014b50, true);
    cd.setUint16(4, 0x031e, true); // made by: Unix, 3.0
    cd.setUint16(6, 20, true);
    cd.setUint16(8, 0x0800, true);
    cd.setUint16(10, 0, true);
    cd.setUint16(12, time, true);
    cd.setUint16(14, day, true);
    cd.setUint32(16, crc, true);
    cd.setUint32(20, size, true);
    cd.setUint32(24, size, true);
    cd.setUint16(28, name.length, true);
    // extra length, comment length, disk number, internal attributes: 0
    cd.setUint32(38, (0o100644 << 16) >>> 0, true); // external attributes: regular file, rw-r--r--
    cd.setUint32(42, offset, true);
    central.push(new Uint8Array(cd.buffer), name);
    offset += 30 + name.length + size;
  });
  const cdSize = central.reduce((n, p) => n + p.length, 0);
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, entries.length, true);
  end.setUint16(10, entries.length, true);
  end.setUint32(12, cdSize, true);
  end.setUint32(16, offset, true);
  return [...parts, ...central, new Uint8Array(end.buffer)];
}

/** A stored ZIP archive of `entries` as a Blob (`application/zip`). */
export function zipBlob(entries, date) {
  return new Blob(zipParts(entries, date), { type: 'application/zip' });
}
