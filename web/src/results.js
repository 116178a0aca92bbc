// The photo cards (status, progress, result), before/after compare, and downloads: one result,
// or all of them as a zip built from the workers' Blobs and CRCs (no bytes copied here).

import { zipBlob } from './zip.js';
import { resultNote } from './output-settings.js';
import { finished } from './state.js';
import * as fmt from './format.js';

const STATUS_WORDS = {
  reading: 'Reading…', ready: 'Ready', queued: 'Waiting…', processing: 'Working…', cancelled: 'Cancelled',
};

/** The zip's entries for these photos' results (names, Blobs and the workers' CRCs). */
export function zipEntries(images) {
  return images.map((i) => ({ name: i.result.fileName, bytes: i.result.blob, crc: i.result.crc }));
}

/** The zip's name for a time: `retouch-2026-12-03-17-55.zip`. */
export function zipName(date = new Date()) {
  return `retouch-${date.toISOString().slice(0, 16).replace(/[T:]/g, '-')}.zip`;
}

/** The compare dialog's line of facts: before → after, and what the options made the engine do. */
export function compareFacts(img, options) {
  const r = img.result;
  const note = resultNote(r, options);
  return `Before ${fmt.dims(img.info?.width, img.info?.height)} · ${fmt.bytes(img.file.size)}  →  After ${fmt.dims(r.width, r.height)} ${r.format.toUpperCase()} · ${fmt.bytes(r.size)} (${fmt.saved(img.file.size, r.size)})${note ? ` · ${note}` : ''}`;
}

/** The results part of the page. */
export function createResults(page) {
  const { state, $ } = page;

  function downloadBlob(blob, name) {
    const a = page.doc.createElement('a');
    const url = URL.createObjectURL(blob);
    a.href = url;
    a.download = name;
    page.doc.body.append(a);
    a.click();
    a.remove();
    page.win.setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }

  const results = {
    /** A new card for a photo, from the page's template. */
    createCard(img) {
      const el = $('card-template').content.firstElementChild.cloneNode(true);
      el.dataset.id = img.id;
      el.querySelector('.name').textContent = img.file.name;
      el.querySelector('.name').title = img.file.name;
      const thumb = el.querySelector('img');
      thumb.addEventListener('error', () => { thumb.style.visibility = 'hidden'; });
      thumb.addEventListener('load', () => { thumb.style.visibility = ''; });
      el.querySelector('.remove').setAttribute('aria-label', `Remove ${img.file.name}`);
      el.querySelector('.cancel').setAttribute('aria-label', `Cancel ${img.file.name}`);
      el.querySelector('.remove').addEventListener('click', () => page.photos.remove(img.id));
      el.querySelector('.cancel').addEventListener('click', () => img.controller?.abort());
      el.querySelector('.thumb-compare').addEventListener('click', () => results.openCompare(img));
      el.querySelector('.paint').setAttribute('aria-label', `Paint what to change: ${img.file.name}`);
      el.querySelector('.paint').addEventListener('click', () => page.ai.openPainter(img));
      el.querySelector('progress').setAttribute('aria-label', `Progress of ${img.file.name}`);
      results.renderCard(img, el);
      return el;
    },

    /** Brings a card up to date with its photo's state. */
    renderCard(img, el = img.el) {
      const doc = page.doc;
      el.dataset.status = img.status;
      const info = img.info;
      el.querySelector('.facts').textContent = [fmt.bytes(img.file.size), info && fmt.dims(info.width, info.height), info?.format?.toUpperCase()]
        .filter(Boolean).join(' · ');
      const status = el.querySelector('.status');
      const bar = el.querySelector('progress');
      const r = img.result;
      if (img.status === 'done' && r) {
        status.innerHTML = '';
        const strong = doc.createElement('strong');
        strong.textContent = `${fmt.dims(r.width, r.height)} ${String(r.format).toUpperCase()} · ${fmt.bytes(r.size)}`;
        const delta = doc.createElement('span');
        const change = fmt.saved(img.file.size, r.size);
        delta.className = change.startsWith('−') ? 'good' : 'muted';
        delta.textContent = ` ${change}`;
        status.append('Done · ', strong, delta);
        const note = resultNote(r, state.run?.options);
        if (note) {
          const line = doc.createElement('span');
          line.className = 'note';
          line.textContent = ` · ${note}`;
          status.append(line);
        }
      } else if (img.status === 'error' || img.status === 'unreadable') {
        status.textContent = img.error;
      } else if (img.status === 'processing') {
        status.textContent = img.stepText || STATUS_WORDS.processing;
      } else {
        status.textContent = STATUS_WORDS[img.status] ?? '';
      }
      const failed = img.status === 'error' || img.status === 'unreadable';
      status.title = failed ? img.errorDetail ?? '' : '';
      status.setAttribute('role', failed ? 'alert' : 'none');
      bar.hidden = !['queued', 'processing'].includes(img.status);
      bar.value = img.progress;
      const thumb = el.querySelector('img');
      // The photo itself once inspection says it is small enough, else its preview (preview.js).
      const want = r?.url ?? (img.thumb === 'file' ? img.url : img.preview?.url) ?? '';
      if (!want) thumb.removeAttribute('src');
      else if (thumb.getAttribute('src') !== want) thumb.src = want;
      const badge = el.querySelector('.badge');
      badge.hidden = !r;
      if (r) badge.textContent = r.keptInput ? 'Original kept' : 'Edited';
      el.querySelector('.thumb-compare').hidden = !r;
      el.querySelector('.thumb-compare').setAttribute('aria-label', `Compare before and after: ${img.file.name}`);
      const dl = el.querySelector('.download');
      dl.hidden = !r;
      if (r) {
        dl.href = r.url;
        dl.download = r.fileName;
        dl.setAttribute('aria-label', `Download ${r.fileName}`);
      }
      const working = img.status === 'queued' || img.status === 'processing';
      el.querySelector('.cancel').hidden = !working;
      el.querySelector('.remove').hidden = working;
      el.querySelector('.paint').hidden = working || img.status === 'unreadable';
      el.querySelector('.painted-badge').hidden = !img.mask || Boolean(r);
    },

    openCompare(img) {
      if (!img.result) return;
      $('compare-before').src = img.url;
      $('compare-after').src = img.result.url;
      $('compare-title').textContent = img.file.name;
      $('compare-facts').textContent = compareFacts(img, state.run?.options);
      results.setCompare(50);
      $('compare').showModal();
      $('compare-range').focus();
    },

    /** Puts the compare divider at `pos` % from the left. */
    setCompare(pos) {
      $('compare-range').value = pos;
      $('compare-stage').style.setProperty('--pos', `${pos}%`);
    },

    downloadZip() {
      const done = finished(state);
      if (!done.length) return;
      downloadBlob(zipBlob(zipEntries(done)), zipName());
      page.ui.announce(`Downloading ${done.length} photos as a zip.`);
    },

    wire() {
      $('download-zip').addEventListener('click', results.downloadZip);
      $('compare-range').addEventListener('input', (e) => results.setCompare(e.target.value));
      const stage = $('compare-stage');
      const drag = (e) => {
        const r = stage.getBoundingClientRect();
        results.setCompare(Math.round(Math.min(100, Math.max(0, ((e.clientX - r.left) / r.width) * 100))));
      };
      stage.addEventListener('pointerdown', (e) => { stage.setPointerCapture(e.pointerId); drag(e); });
      stage.addEventListener('pointermove', (e) => { if (stage.hasPointerCapture(e.pointerId)) drag(e); });
    },
  };
  return results;
}
