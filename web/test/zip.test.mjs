import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, zipParts, zipBlob, uniqueNames } from '../src/zip.js';
import { readStoredZip } from './read-zip.mjs';

const utf8 = (s) => new TextEncoder().encode(s);

test('crc32 matches the standard check value', () => {
  assert.equal(crc32(utf8('123456789')), 0xcbf43926);
  assert.equal(crc32(new Uint8Array()), 0);
  // incremental = whole
  const a = utf8('hello '), b = utf8('world');
  assert.equal(crc32(b, crc32(a)), crc32(utf8('hello world')));
});

test('names are made unique, keeping the extension', () => {
  assert.deepEqual(uniqueNames(['a.webp', 'A.webp', 'a.webp', 'b']), ['a.webp', 'A (2).webp', 'a (3).webp', 'b']);
});

test('an archive round-trips through a reader and through unzip', async () => {
  const random = new Uint8Array(70_000).map((_, i) => (i * 2654435761) >>> 24);
  const entries = [
    { name: 'GreenMeadow-800w-grayscale.webp', bytes: random },
    { name: 'Dune — 東京.txt', bytes: utf8('dune') },
    { name: 'empty', bytes: new Uint8Array() },
    { name: 'dup.txt', bytes: utf8('1'), crc: crc32(utf8('1')) },
    { name: 'dup.txt', bytes: new Blob([utf8('2')]), crc: crc32(utf8('2')) },
  ];
  const blob = zipBlob(entries, new Date(2026, 0, 2, 3, 4, 6));
  assert.equal(blob.type, 'application/zip');
  const buf = new Uint8Array(await blob.arrayBuffer());
  const back = readStoredZip(buf);
  assert.deepEqual(back.map((e) => e.name), ['GreenMeadow-800w-grayscale.webp', 'Dune — 東京.txt', 'empty', 'dup.txt', 'dup (2).txt']);
  assert.deepEqual(back[0].bytes, random);
  assert.equal(new TextDecoder().decode(back[4].bytes), '2');

  const dir = mkdtempSync(join(tmpdir(), 'zip-test-'));
  try {
    const file = join(dir, 'a.zip');
    writeFileSync(file, buf);
    const log = execFileSync('unzip', ['-t', file], { encoding: 'utf8' });
    assert.match(log, /No errors detected/);
    assert.equal(execFileSync('unzip', ['-p', file, 'Dune — 東京.txt'], { encoding: 'utf8' }), 'dune');
  } catch (e) {
    if (e.code === 'ENOENT') return; // no unzip on this machine: the reader above checked it
    throw e;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a Blob entry without its crc is refused', () => {
  assert.throws(() => zipParts([{ name: 'x', bytes: new Blob(['x']) }]), /needs its crc/);
});

test('the end record counts every entry', () => {
  const parts = zipParts([{ name: 'x', bytes: utf8('x') }]);
  const end = parts.at(-1);
  assert.equal(end.length, 22);
  assert.equal(new DataView(end.buffer).getUint16(10, true), 1);
});
