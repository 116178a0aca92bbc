// The Output panel's DOM: reading and showing its settings, the max file size's inline error,
// and keeping the settings for the next visit. The rules themselves are in output-settings.js.

import {
  loadSettings, saveSettings, jobOptions, summarize, parseByteSize, DEFAULT_SETTINGS,
} from './output-settings.js';

/** A side in whole pixels, at most `max` (the engine's largest side, once known); blank if none. */
const side = (v, max) => (Number(v) >= 1 ? Math.min(max ?? Infinity, Math.round(Number(v))) : '');

const METADATA_HELP = {
  strip: 'Strip: only the pixels (and the colour profile they need) leave with the photo.',
  keep: 'Keep: camera data, captions and copyright stay; the orientation is reset because the pixels are upright.',
  copyright: 'Copyright only: the creator and copyright notice stay, everything else is removed.',
};

/** The Output panel part of the page. */
export function createOutputPanel(page) {
  const { state, $ } = page;
  const panel = {
    /** The panel's settings, as the DOM holds them. */
    read() {
      const minQ = Math.round(Number($('opt-min-quality').value));
      const { maxSide } = state.tools;
      return {
        format: $('opt-format').value,
        qualityOn: $('opt-quality-on').checked,
        quality: Number($('opt-quality').value),
        maxWidth: side($('opt-max-width').value, maxSide),
        maxHeight: side($('opt-max-height').value, maxSide),
        maxSize: $('opt-max-size').value.trim(),
        minQuality: minQ >= 1 && minQ <= 100 ? minQ : DEFAULT_SETTINGS.minQuality,
        neverLarger: $('opt-never-larger').value,
        metadata: page.doc.querySelector('input[name=metadata]:checked')?.value ?? 'strip',
        keepGps: $('opt-keep-gps').checked,
        smallest: $('opt-smallest').checked,
      };
    },

    /** Shows `s` in the panel. */
    apply(s) {
      $('opt-format').value = s.format;
      $('opt-quality-on').checked = s.qualityOn;
      $('opt-quality').value = s.quality;
      $('opt-max-width').value = s.maxWidth;
      $('opt-max-height').value = s.maxHeight;
      $('opt-max-size').value = s.maxSize;
      $('opt-min-quality').value = s.minQuality;
      $('opt-never-larger').value = s.neverLarger;
      for (const r of page.doc.querySelectorAll('input[name=metadata]')) r.checked = r.value === s.metadata;
      $('opt-keep-gps').checked = s.keepGps;
      $('opt-smallest').checked = s.smallest;
    },

    /** The engine's largest side as the max width and height fields' limit. */
    useLimits() {
      for (const id of ['opt-max-width', 'opt-max-height']) {
        if (state.tools.maxSide) $(id).max = state.tools.maxSide; else $(id).removeAttribute('max');
      }
    },

    /** The job options for the engine (only what differs from its defaults) and the size error. */
    jobOptions() {
      return jobOptions(panel.read());
    },

    render() {
      const s = panel.read();
      const { options, error } = jobOptions(s);
      $('opt-quality').disabled = !s.qualityOn;
      $('opt-quality-out').textContent = s.qualityOn ? String(s.quality) : 'auto';
      const showError = Boolean(error) && state.sizeErrorShown;
      $('opt-max-size').setAttribute('aria-invalid', String(showError));
      $('max-size-error').hidden = !showError;
      $('max-size-error').textContent = showError ? error : '';
      if (!error) state.sizeErrorShown = false;
      const parsed = parseByteSize(s.maxSize).bytes;
      $('max-size-help').textContent = `${parsed ? `${parsed.toLocaleString('en')} bytes. ` : 'KB = 1000 bytes, MB = 1,000,000. '}JPEG and WebP lower the quality, then the size, until each file fits.`;
      $('opt-min-quality').disabled = !parsed;
      $('opt-keep-gps').disabled = s.metadata !== 'keep';
      $('metadata-help').textContent = METADATA_HELP[s.metadata];
      $('output-summary').textContent = error ? 'Max file size needs fixing' : summarize(options);
      $('output-summary').classList.toggle('field-error', Boolean(error));
    },

    /** The saved settings into the panel; a saved size that is now invalid opens the panel on it. */
    load() {
      panel.apply(loadSettings(page.storage));
      if (panel.jobOptions().error) {
        state.sizeErrorShown = true;
        $('output-panel').open = true;
      }
    },

    changed() {
      saveSettings(panel.read(), page.storage);
      panel.render();
      page.run.markStale();
      page.run.renderRunButton();
    },

    wire() {
      for (const el of $('output-panel').querySelectorAll('input, select')) el.addEventListener('input', panel.changed);
      // A size being typed is not wrong yet: its error shows once the field is left.
      $('opt-max-size').addEventListener('change', () => {
        state.sizeErrorShown = true;
        panel.render();
        const { error } = panel.jobOptions();
        if (error) page.ui.announce(`Max file size: ${error}`);
      });
    },
  };
  return panel;
}
