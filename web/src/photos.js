// Adding and removing photos: the file picker, drag and drop, paste, "Remove all". A batch holds
// at most MAX_IMAGES photos; each is inspected in the pool (format, size) as it is added, and a
// file the engine cannot read is flagged and skipped by runs.

import { MAX_IMAGES } from './state.js';
import { plainError } from './steps.js';
import { previewSide } from './preview.js';

/**
 * How many of `count` new files fit in a batch that has `size` photos, and the notice saying so.
 * @example admit(3, 49) // {accepted: 1, refused: 2, text: 'Added 1 photo. 2 not added: …', tone: 'warn'}
 */
export function admit(count, size, how = '') {
  const accepted = Math.min(count, Math.max(0, MAX_IMAGES - size));
  const refused = count - accepted;
  const parts = [];
  if (accepted) parts.push(`Added ${accepted} ${accepted === 1 ? 'photo' : 'photos'}${how ? ` ${how}` : ''}.`);
  if (refused) parts.push(`${refused} not added: a batch holds at most ${MAX_IMAGES} photos. Remove some to add others.`);
  return { accepted, refused, text: parts.join(' '), tone: refused ? 'warn' : 'info' };
}

/**
 * A pasted image as a file with a name of its own (clipboards call every image `image.png`).
 * @param {File} file
 * @param {number} index its place among the pasted files
 * @param {number} [now] a timestamp for the name
 */
export function pastedFile(file, index, now = Date.now()) {
  if (file.name && file.name !== 'image.png') return file;
  const ext = (file.type.split('/')[1] || 'png').replace('jpeg', 'jpg');
  return new File([file], `pasted-${now}-${index + 1}.${ext}`, { type: file.type });
}

/** The photos part of the page. */
export function createPhotos(page) {
  const { state, $ } = page;

  function makePreview(img, side) {
    page.pool.run('preview', { file: img.file, side }, { background: true }).then((p) => {
      if (!state.images.has(img.id)) return;
      img.preview = { url: URL.createObjectURL(new Blob([p.bytes], { type: p.mimeType })), width: p.width, height: p.height };
      page.results.renderCard(img);
    }, () => { /* no preview: the card shows no picture, the photo still runs */ });
  }

  function addImage(file) {
    const id = `img_${state.nextImageId++}`;
    const img = { id, file, url: URL.createObjectURL(file), status: 'reading', progress: 0, stepText: '' };
    img.el = page.results.createCard(img);
    state.images.set(id, img);
    $('grid').append(img.el);
    return page.pool.run('inspect', { file }).then(
      (info) => {
        if (!state.images.has(id)) return;
        img.info = info;
        if (img.status === 'reading') img.status = 'ready';
        // A large photo (or one browsers cannot show) gets a small engine-made preview; the card
        // never points at the full-size file, so 50 phone photos do not ask for gigabytes.
        const side = previewSide(info, file.size);
        img.thumb = side ? 'preview' : 'file';
        if (side) makePreview(img, side);
        page.results.renderCard(img);
        page.run.renderRunButton();
      },
      (err) => {
        if (!state.images.has(id) || img.status !== 'reading') return;
        img.status = 'unreadable';
        img.error = plainError(err);
        img.errorDetail = String(err.message);
        page.results.renderCard(img);
        page.run.renderRunButton();
      },
    );
  }

  const photos = {
    /**
     * Adds files (as many as fit) and says how many were added. Returns the inspections, which
     * settle once each photo's facts are known.
     * @param {Iterable<File>} fileList
     * @param {string} [how] e.g. "by drop"
     */
    addFiles(fileList, how) {
      const files = [...fileList].filter((f) => f.size > 0 || f.name);
      if (!files.length) return Promise.resolve([]);
      const { accepted, text, tone } = admit(files.length, state.images.size, how);
      const inspected = files.slice(0, accepted).map(addImage);
      page.ui.notice(text, tone);
      // Results already made stay until the next run (nothing is thrown away unasked).
      page.run.markStale();
      photos.render();
      return Promise.all(inspected);
    },

    /** Removes one photo (cancelling its job) and frees its object URLs. */
    remove(id) {
      const img = state.images.get(id);
      if (!img) return;
      img.controller?.abort();
      URL.revokeObjectURL(img.url);
      if (img.preview?.url) URL.revokeObjectURL(img.preview.url);
      if (img.result?.url) URL.revokeObjectURL(img.result.url);
      img.el.remove();
      state.images.delete(id);
      photos.render();
      page.ui.announce(`Removed ${img.file.name}.`);
    },

    /** Removes every photo and the results. */
    removeAll() {
      for (const id of [...state.images.keys()]) photos.remove(id);
      page.run.resetResults();
      page.ui.announce('Removed all photos.');
    },

    /** The photo count, "Remove all", the drop zone; then the run button and the batch bar. */
    render() {
      const n = state.images.size;
      $('photo-count').textContent = n ? `${n} of ${MAX_IMAGES}` : `None yet · up to ${MAX_IMAGES}`;
      $('clear-all').hidden = n === 0 || Boolean(state.run?.active);
      $('dropzone').dataset.empty = String(n === 0);
      page.run.renderRunButton();
      page.run.renderOverall();
    },

    /** The picker, drag and drop anywhere on the page, paste, and "Remove all". */
    wire() {
      const doc = page.doc;
      const input = $('file-input');
      input.addEventListener('change', () => { photos.addFiles(input.files); input.value = ''; });
      const zone = $('dropzone');
      const hasFiles = (e) => [...(e.dataTransfer?.types ?? [])].includes('Files');
      let depth = 0;
      doc.addEventListener('dragenter', (e) => {
        if (!hasFiles(e)) return;
        depth++;
        doc.body.classList.add('dragging');
      });
      doc.addEventListener('dragleave', () => { if (--depth <= 0) { depth = 0; doc.body.classList.remove('dragging'); } });
      doc.addEventListener('dragover', (e) => { if (hasFiles(e)) e.preventDefault(); });
      doc.addEventListener('drop', (e) => {
        if (!e.dataTransfer?.files?.length) return;
        e.preventDefault();
        depth = 0;
        doc.body.classList.remove('dragging');
        photos.addFiles(e.dataTransfer.files, 'by drop');
      });
      zone.addEventListener('click', (e) => { if (e.target === zone) input.click(); });
      doc.addEventListener('paste', (e) => {
        const files = [...(e.clipboardData?.files ?? [])].filter((f) => f.type.startsWith('image/'));
        if (!files.length) return;
        e.preventDefault();
        const now = Date.now();
        photos.addFiles(files.map((f, i) => pastedFile(f, i, now)), 'from the clipboard');
      });
      $('clear-all').addEventListener('click', photos.removeAll);
    },
  };
  return photos;
}
