// "My presets": the plan saved under a name, used again on any batch, kept in this browser
// (localStorage) and carried to another one as a JSON file. The rules (names, checks, the file
// format) are presets.js; this part is the panel under the plan.

import {
  presetFromPlan, upsertPreset, removePreset, findPreset, loadPresets, savePresets, exportPresets,
  importPresets, PresetError,
} from './presets.js';
import { describeStep } from './steps.js';

/** The name of an exported presets file. */
export const EXPORT_NAME = 'retouch-presets.json';

/** The user-presets part of the page. */
export function createUserPresets(page) {
  const { state, $ } = page;
  let list = [];

  function say(text, tone = 'info') {
    const el = $('my-preset-message');
    el.textContent = text;
    el.dataset.tone = tone;
    page.ui.announce(text);
  }

  function store(next) {
    savePresets(next, page.storage);
    list = next;
    presets.render();
  }

  const presets = {
    get list() { return list; },

    /** Saves the plan's steps for every photo as the preset `name` (replacing one of that name). */
    save(name) {
      try {
        const { preset, skipped } = presetFromPlan(name, state.plan.calls);
        const replaced = Boolean(findPreset(list, preset.name));
        store(upsertPreset(list, preset));
        $('my-preset-list').value = preset.name;
        $('my-preset-name').value = '';
        const n = preset.toolCalls.length;
        say(`${replaced ? 'Replaced' : 'Saved'} the preset “${preset.name}” (${n} ${n === 1 ? 'step' : 'steps'})`
          + `${skipped ? `; ${skipped} ${skipped === 1 ? 'step' : 'steps'} for one photo left out` : ''}.`);
        return preset;
      } catch (e) {
        if (!(e instanceof PresetError)) throw e;
        say(e.message.replace(/^preset\.name: /, 'Name: '), 'error');
        return null;
      }
    },

    /** Replaces the plan with the preset `name`'s steps. */
    apply(name) {
      const preset = findPreset(list, name);
      if (!preset) return;
      page.planView.setCalls(preset.toolCalls.map((c) => ({ ...c, applyToAll: true })));
      say(`Plan set from “${preset.name}”: ${preset.toolCalls.map((c) => describeStep(c)).join('; ')}.`);
    },

    remove(name) {
      const preset = findPreset(list, name);
      if (!preset) return;
      store(removePreset(list, name));
      say(`Deleted the preset “${preset.name}”.`);
    },

    /** The presets as a JSON file, downloaded. */
    exportFile() {
      if (!list.length) return;
      const blob = new Blob([exportPresets(list)], { type: 'application/json' });
      const a = page.doc.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = EXPORT_NAME;
      page.doc.body.append(a);
      a.click();
      a.remove();
      page.win.setTimeout(() => URL.revokeObjectURL(a.href), 60_000);
      say(`Exported ${list.length} ${list.length === 1 ? 'preset' : 'presets'} as ${EXPORT_NAME}.`);
    },

    /** Merges the presets of an exported file (all or nothing). */
    async importFile(file) {
      try {
        const { presets: next, added, replaced } = importPresets(await file.text(), list);
        store(next);
        say(`Imported ${file.name}: ${added} added, ${replaced} replaced.`);
      } catch (e) {
        if (!(e instanceof PresetError)) throw e;
        say(`Couldn't import ${file.name}: ${e.message}`, 'error');
      }
    },

    /** The saved list (the choice kept), the buttons, the count. */
    render() {
      const select = $('my-preset-list');
      const chosen = select.value;
      select.replaceChildren(...list.map((p) => {
        const o = page.doc.createElement('option');
        o.value = p.name;
        o.textContent = `${p.name} (${p.toolCalls.length} ${p.toolCalls.length === 1 ? 'step' : 'steps'})`;
        return o;
      }));
      if (findPreset(list, chosen)) select.value = findPreset(list, chosen).name;
      const none = list.length === 0;
      select.disabled = none;
      $('my-preset-apply').disabled = none;
      $('my-preset-delete').disabled = none;
      $('my-preset-export').disabled = none;
      $('my-presets-summary').textContent = none ? 'None saved yet' : `${list.length} saved`;
      $('my-preset-save').disabled = state.plan.calls.length === 0;
    },

    wire() {
      list = loadPresets(page.storage);
      $('my-preset-form').addEventListener('submit', (e) => { e.preventDefault(); presets.save($('my-preset-name').value); });
      $('my-preset-apply').addEventListener('click', () => presets.apply($('my-preset-list').value));
      $('my-preset-delete').addEventListener('click', () => presets.remove($('my-preset-list').value));
      $('my-preset-export').addEventListener('click', presets.exportFile);
      const input = $('my-preset-import');
      input.addEventListener('change', () => {
        const [file] = input.files;
        input.value = '';
        if (file) presets.importFile(file);
      });
      presets.render();
    },
  };
  return presets;
}
