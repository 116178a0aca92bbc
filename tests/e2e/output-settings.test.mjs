// End-to-end: the Output panel's file-size and metadata settings in Chromium against the whole
// product. Sizes and metadata are read back from the downloaded files, metadata with exiftool
// (Debian's libimage-exiftool-perl), an independent reader.
//
//   bash tests/e2e/run.sh        (or: node --test tests/e2e/output-settings.test.mjs after build-web)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IMAGES, STATIC, start, shot, photo, statusOf, runAndWait, downloadOf, saveToCloud, sessionOf } from './harness.mjs';

let app;
let page;
let tmp;

/** exiftool's tags of a file as {group:tag: value}. */
function tags(path) {
  const [t] = JSON.parse(execFileSync('exiftool', ['-j', '-G', '-a', path], { encoding: 'utf8' }));
  return t;
}
const gpsTags = (t) => Object.keys(t).filter((k) => /GPS/i.test(k));

/** Empties the batch and adds these files; waits until each is read. */
async function batch(files) {
  if (await page.locator('#clear-all').isVisible()) await page.click('#clear-all');
  await page.setInputFiles('#file-input', files);
  await page.waitForFunction((n) => window.retouch.images.size === n
    && [...window.retouch.images.values()].every((i) => i.status !== 'reading'), files.length);
}

async function openPanel() {
  if (!(await page.locator('#output-panel').evaluate((d) => d.open))) await page.locator('#output-panel summary').click();
}

/** A screenshot tall enough to show the whole Output panel (the sidebar scrolls on its own). */
async function tallShot(name) {
  await page.setViewportSize({ width: 1360, height: 1500 });
  await page.locator('#output-panel').scrollIntoViewIfNeeded();
  await shot(page, name);
  await page.setViewportSize({ width: 1360, height: 900 });
}

async function setMaxSize(text) {
  await page.fill('#opt-max-size', text);
  await page.locator('#opt-max-size').press('Tab');
}

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'retouch-e2e-'));
  app = await start();
  page = app.page;
});

after(async () => {
  await app?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

test('the max file size field reads sizes like the CLI and explains bad input inline', async () => {
  await openPanel();
  await batch(['GreenMeadow.jpg'].map(photo));
  await setMaxSize('150 kilo');
  const error = page.locator('#max-size-error');
  assert.match(await error.textContent(), /“kilo” is not a size unit/);
  assert.equal(await page.getAttribute('#opt-max-size', 'aria-invalid'), 'true');
  assert.equal(await page.locator('#run').isDisabled(), true);
  assert.match(await page.locator('#run').textContent(), /Fix the max file size/);
  // The field is labelled and the error is part of its description (read by screen readers).
  assert.match(await page.getAttribute('#opt-max-size', 'aria-describedby'), /max-size-error/);
  assert.equal(await page.getByLabel('Max file size').count(), 1);
  await tallShot('11-max-size-error');
  await setMaxSize('150 KB');
  assert.equal(await error.isHidden(), true);
  assert.match(await page.locator('#max-size-help').textContent(), /^150,000 bytes/);
  assert.equal(await page.locator('#run').isDisabled(), false, 'a max size alone is a job');
  assert.equal(await page.locator('#opt-min-quality').inputValue(), '40');
  assert.equal(await page.locator('#opt-min-quality').isEnabled(), true);
});

test('metadata is chosen with the keyboard; GPS can only be kept with Keep', async () => {
  const gps = page.getByLabel('Keep GPS location');
  assert.equal(await gps.isDisabled(), true);
  await page.getByRole('radio', { name: 'Strip' }).focus();
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.getByRole('radio', { name: 'Keep' }).isChecked(), true);
  assert.equal(await gps.isEnabled(), true);
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.getByRole('radio', { name: 'Copyright only' }).isChecked(), true);
  assert.equal(await gps.isDisabled(), true);
  await page.keyboard.press('ArrowLeft');
  assert.match(await page.locator('#output-summary').textContent(), /≤ 150 KB · metadata kept/);
});

test('settings persist across a reload', async () => {
  await page.selectOption('#opt-never-larger', 'off');
  await page.fill('#opt-min-quality', '45');
  await page.reload();
  await page.waitForFunction(() => window.retouch?.pool);
  await openPanel();
  assert.equal(await page.locator('#opt-max-size').inputValue(), '150 KB');
  assert.equal(await page.locator('#opt-min-quality').inputValue(), '45');
  assert.equal(await page.locator('#opt-never-larger').inputValue(), 'off');
  assert.equal(await page.getByRole('radio', { name: 'Keep' }).isChecked(), true);
  // Back to the defaults for what follows, except the size.
  await page.fill('#opt-min-quality', '40');
  await page.selectOption('#opt-never-larger', 'auto');
  await page.getByRole('radio', { name: 'Strip' }).check();
});

test('max file size 150 KB: every download fits, and each card says the quality chosen', async () => {
  const names = ['Dune.jpg', 'LadyBird.jpg', 'Garden.jpg'];
  for (const n of names) assert.ok(statSync(join(IMAGES, n)).size > 150_000, `${n} starts larger than 150 KB`);
  await batch(names.map(photo));
  await runAndWait(page);
  const status = await statusOf(page);
  for (const n of names) assert.equal(status[n], 'done', `${n}: ${status[n]}`);
  for (const n of names) {
    const text = await page.locator('.card', { hasText: n }).locator('.status').textContent();
    assert.match(text, /· q\d+, (full size|\d+ % scale)$/, `${n}: ${text}`);
    const { name, bytes } = await downloadOf(page, n);
    assert.ok(bytes.length <= 150_000, `${name}: ${bytes.length} bytes`);
    assert.equal(bytes.subarray(0, 2).toString('hex'), 'ffd8', `${name} is a JPEG`);
  }
  await tallShot('12-max-size-results');
});

test('the options are saved with the cloud session (the worker validates them)', { skip: STATIC && 'no backend in E2E_STATIC mode' }, async () => {
  const cloud = await saveToCloud(page, 'sizes@retouch.test');
  assert.equal(cloud.error, '', cloud.text);
  const session = await sessionOf(page, cloud.sessionId);
  assert.equal(session.options?.maxBytes, 150_000, JSON.stringify(session.options));
  assert.equal(session.options?.minQuality, 40);
  await page.locator('#session-close').click();
});

test('a PNG that cannot fit fails with target_unreachable, alone; the batch goes on', async () => {
  await setMaxSize('20 KB');
  await batch(['GreenMeadow.jpg', 'icc-profile.png'].map(photo));
  await runAndWait(page);
  const status = await statusOf(page);
  assert.equal(status['GreenMeadow.jpg'], 'done');
  assert.equal(status['icc-profile.png'], 'error');
  const err = await page.locator('.card', { hasText: 'icc-profile.png' }).locator('.status').textContent();
  assert.match(err, /^Can't fit in 20 KB as PNG: .*Choose JPEG or WebP/);
  assert.match(await page.locator('#overall-text').textContent(), /1 done · 1 failed/);
  const { bytes } = await downloadOf(page, 'GreenMeadow.jpg');
  assert.ok(bytes.length <= 20_000, `${bytes.length} bytes`);
  await tallShot('13-target-unreachable');
});

test('Metadata Keep without GPS: GPS gone, copyright kept (read back with exiftool)', async () => {
  const tagged = join(tmp, 'tagged-blinds.jpg');
  copyFileSync(join(IMAGES, 'Blinds.jpg'), tagged);
  execFileSync('exiftool', ['-q', '-overwrite_original', '-GPSLatitude=48.8584', '-GPSLatitudeRef=N', '-GPSLongitude=2.2945',
    '-GPSLongitudeRef=E', '-Artist=Ana Lens', '-Copyright=© 2026 Ana Lens', tagged]);
  assert.ok(gpsTags(tags(tagged)).length > 0, 'the fixture has GPS');
  await setMaxSize('');
  await page.getByRole('radio', { name: 'Keep' }).check();
  assert.equal(await page.getByLabel('Keep GPS location').isChecked(), false);
  await batch([{ name: 'tagged-blinds.jpg', mimeType: 'image/jpeg', buffer: readFileSync(tagged) }]);
  await runAndWait(page);
  assert.equal((await statusOf(page))['tagged-blinds.jpg'], 'done');
  let t = tags((await downloadOf(page, 'tagged-blinds.jpg')).path);
  assert.deepEqual(gpsTags(t), [], 'no GPS tag left');
  assert.equal(t['EXIF:Copyright'], '© 2026 Ana Lens');
  assert.equal(t['EXIF:Artist'], 'Ana Lens');
  assert.equal(t['EXIF:Model'], 'Canon EOS 350D DIGITAL', 'other EXIF is kept');

  // With "Keep GPS location" the position stays; "Copyright only" keeps just creator and copyright.
  await page.getByLabel('Keep GPS location').check();
  await runAndWait(page);
  t = tags((await downloadOf(page, 'tagged-blinds.jpg')).path);
  assert.ok(gpsTags(t).includes('EXIF:GPSLatitude'), Object.keys(t).join(' '));
  await page.getByRole('radio', { name: 'Copyright only' }).check();
  await runAndWait(page);
  t = tags((await downloadOf(page, 'tagged-blinds.jpg')).path);
  assert.deepEqual(gpsTags(t), []);
  assert.equal(t['EXIF:Copyright'], '© 2026 Ana Lens');
  assert.equal(t['EXIF:Model'], undefined, 'camera data is removed');
});

test('never larger: a re-encode that would grow keeps the original and says so', async () => {
  await page.getByRole('radio', { name: 'Strip' }).check();
  await page.selectOption('#opt-never-larger', 'on');
  await page.check('#opt-quality-on');
  await page.fill('#opt-quality', '100');
  await batch(['GreenMeadow.jpg'].map(photo));
  await runAndWait(page);
  const text = await page.locator('.card', { hasText: 'GreenMeadow.jpg' }).locator('.status').textContent();
  assert.match(text, /kept original \(smaller\)/, text);
  const { bytes } = await downloadOf(page, 'GreenMeadow.jpg');
  assert.ok(bytes.length <= statSync(join(IMAGES, 'GreenMeadow.jpg')).size, `${bytes.length} bytes`);
  assert.equal(await page.locator('.card', { hasText: 'GreenMeadow.jpg' }).locator('.badge').textContent(), 'Original kept');
  await page.uncheck('#opt-quality-on');
  await page.selectOption('#opt-never-larger', 'auto');
  // The panel as a photographer might leave it, for the screenshot.
  await setMaxSize('1.5 MB');
  await page.getByRole('radio', { name: 'Keep' }).check();
  await page.getByLabel('Keep GPS location').focus();
  await tallShot('14-output-settings');
});
