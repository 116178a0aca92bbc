// The plan: reading a command (by the server when signed in, else by the engine in a worker),
// quick edits (presets), and the list of steps with a small editor per step.

import {
  describeStep, fieldValue, withField, bulkToCall, paramsOf,
} from './steps.js';

/** A tool call as the plan keeps it: params as an object, `applyToAll` explicit. */
export function normalizeCall(c) {
  return { tool: c.tool, params: { ...paramsOf(c) }, applyToAll: c.applyToAll ?? !c.imageId, ...(c.imageId ? { imageId: c.imageId } : {}) };
}

/**
 * A quick edit (the preset pickers' type and value) as a bulk operation's params.
 * @example presetParams('resize', '0.5') // {scale: 0.5}
 */
export function presetParams(type, value) {
  return {
    resize: { scale: Number(value) }, rotate: { degrees: Number(value) }, flip: { direction: value },
    format: { format: value }, filter: { filter: value },
  }[type];
}

/** The plan part of the page. */
export function createPlanView(page) {
  const { state, $ } = page;
  const { plan } = state;
  const imageName = (id) => state.images.get(id)?.file.name;

  function stepItem(call, i, editorOpen) {
    const li = $('step-template').content.firstElementChild.cloneNode(true);
    li.dataset.index = i;
    li.dataset.tool = call.tool;
    const text = call.tool === 'generate_with_llm' ? page.ai.stepText(call) : describeStep(call, imageName);
    li.querySelector('.step-num').textContent = i + 1;
    li.querySelector('.step-text').textContent = text;
    if (call.tool === 'generate_with_llm') li.classList.add('needs-ai');
    const up = li.querySelector('.step-up');
    up.hidden = i === 0;
    up.setAttribute('aria-label', `Move step ${i + 1} up`);
    up.addEventListener('click', () => {
      [plan.calls[i - 1], plan.calls[i]] = [plan.calls[i], plan.calls[i - 1]];
      view.changed();
      $('plan').children[i - 1]?.querySelector('.step-up, .step-edit')?.focus();
    });
    const rm = li.querySelector('.step-remove');
    rm.setAttribute('aria-label', `Remove step ${i + 1}: ${text}`);
    rm.addEventListener('click', () => {
      plan.calls.splice(i, 1);
      view.changed();
      page.ui.announce(`Removed step: ${text}.`);
      ($('plan').children[Math.min(i, plan.calls.length - 1)]?.querySelector('.step-remove') ?? $('command')).focus();
    });
    const edit = li.querySelector('.step-edit');
    const editor = li.querySelector('.step-editor');
    edit.setAttribute('aria-label', `Edit step ${i + 1}`);
    edit.addEventListener('click', () => {
      const show = editor.hidden;
      editor.hidden = !show;
      edit.setAttribute('aria-expanded', String(show));
      edit.textContent = show ? 'Done' : 'Edit';
      // The accessible name holds the visible word (WCAG 2.5.3).
      edit.setAttribute('aria-label', show ? `Done editing step ${i + 1}` : `Edit step ${i + 1}`);
      if (show) editor.querySelector('input, select')?.focus();
    });
    buildEditor(editor, call, i);
    if (editorOpen) {
      editor.hidden = false;
      edit.setAttribute('aria-expanded', 'true');
      edit.textContent = 'Done';
      edit.setAttribute('aria-label', `Done editing step ${i + 1}`);
    }
    return li;
  }

  function buildEditor(container, call, index) {
    const doc = page.doc;
    const fields = state.tools.fields[call.tool] ?? [];
    const params = paramsOf(call);
    for (const field of fields) {
      const id = `step-${index}-${field.name}`;
      const wrap = doc.createElement('div');
      wrap.className = `field field-${field.type}`;
      const label = doc.createElement('label');
      label.htmlFor = id;
      label.textContent = field.label;
      let input;
      if (field.type === 'select') {
        input = doc.createElement('select');
        const options = field.required ? field.options : ['', ...field.options];
        for (const o of options) {
          const opt = doc.createElement('option');
          opt.value = o;
          opt.textContent = o === '' ? 'default' : o;
          input.append(opt);
        }
      } else {
        input = doc.createElement('input');
        input.type = field.type === 'number' ? 'number' : field.type === 'checkbox' ? 'checkbox' : 'text';
        for (const k of ['min', 'max', 'step', 'maxLength', 'pattern']) if (field[k] != null) input[k] = field[k];
        if (field.type !== 'checkbox') input.placeholder = field.required ? 'required' : 'default';
      }
      input.id = id;
      input.required = Boolean(field.required);
      const value = fieldValue(field, params);
      if (field.type === 'checkbox') input.checked = Boolean(value); else input.value = value;
      input.addEventListener('change', () => {
        const raw = field.type === 'checkbox' ? input.checked : input.value;
        if (field.required && raw === '') return;
        view.editField(index, field, raw);
        container.closest('.step').querySelector('.step-text').textContent = describeStep(plan.calls[index], imageName);
      });
      if (field.type === 'checkbox') wrap.append(input, label); else wrap.append(label, input);
      container.append(wrap);
    }
  }

  const view = {
    /** Reads a command into the plan (replacing it) and says what came of it. */
    async readCommand(text) {
      const command = text.trim();
      if (!command) return;
      const button = $('read-command');
      button.disabled = true;
      button.textContent = 'Reading…';
      let parsed;
      let parser = 'on this device';
      try {
        if (page.api.signedIn) {
          try {
            const r = await page.api.parseCommand(command, Math.max(1, state.images.size));
            parsed = { toolCalls: r.toolCalls ?? [], unparsed: r.unparsed ?? [], notes: r.notes ?? [] };
            parser = r.parser ? `by the server (${r.parser})` : 'by the server';
          } catch (e) {
            if (e.status === 400 || e.status === 422) throw e;
            parsed = null; // server unreachable: fall back to the engine here
            parser = 'on this device (server unavailable)';
          }
        }
        parsed ??= await page.pool.run('parse', { text: command });
        plan.calls = (parsed.toolCalls ?? []).map(normalizeCall);
        plan.unparsed = parsed.unparsed ?? [];
        plan.notes = parsed.notes ?? [];
        plan.command = command;
        plan.fromCommand = true;
        plan.parser = parser;
        plan.error = '';
        // A painted area says where: a command no parser knows ("remove this") is that area's AI edit.
        if (!plan.calls.length && page.ai.anyPainted()) {
          plan.calls = [{ tool: 'generate_with_llm', params: { prompt: command.slice(0, 1000) }, applyToAll: true }];
          plan.unparsed = [];
          plan.notes = [...plan.notes, 'Read as an AI edit of the painted area.'];
        }
        if (!plan.calls.length) plan.error = 'Nothing in that command is an edit I know. Try e.g. “resize to 800 px wide, black and white”.';
      } catch (e) {
        plan.error = `Couldn't read the command: ${e.message}`;
      } finally {
        button.disabled = false;
        button.textContent = 'Read command';
      }
      $('parser-note').textContent = `Read ${parser}`;
      view.changed(false);
      page.ui.announce(plan.error || `Plan has ${plan.calls.length} ${plan.calls.length === 1 ? 'step' : 'steps'}: ${plan.calls.map((c) => describeStep(c)).join('; ')}.`);
    },

    /** Replaces the plan's steps, as a parsed command would. */
    setCalls(calls) {
      plan.calls = calls.map(normalizeCall);
      plan.error = '';
      view.changed();
    },

    /** Adds a quick edit (a bulk operation) as a step. */
    addPreset(type) {
      const call = bulkToCall({ type, params: presetParams(type, $(`preset-${type}`).value) });
      plan.calls.push(call);
      plan.error = '';
      view.changed();
      page.ui.announce(`Added step: ${describeStep(call)}.`);
    },

    /** Sets one field of step `index` from its editor's raw value. */
    editField(index, field, raw) {
      plan.calls[index] = { ...plan.calls[index], params: withField(paramsOf(plan.calls[index]), field, raw) };
      plan.fromCommand = false;
      page.run.markStale();
      page.run.renderRunButton();
    },

    clear() {
      Object.assign(plan, { calls: [], notes: [], unparsed: [], error: '' });
      view.changed();
    },

    /** After any change to the plan; `edited` means it is no longer exactly the command. */
    changed(edited = true) {
      if (edited && plan.fromCommand) plan.fromCommand = false;
      page.run.markStale();
      view.render();
      page.run.renderRunButton();
    },

    /** The step list (open editors stay open), the empty state and the notes. */
    render() {
      const list = $('plan');
      const open = new Set([...list.querySelectorAll('.step-editor:not([hidden])')].map((e) => e.closest('.step').dataset.index));
      list.replaceChildren(...plan.calls.map((call, i) => stepItem(call, i, open.has(String(i)))));
      $('plan-empty').hidden = plan.calls.length > 0;
      $('clear-plan').hidden = plan.calls.length === 0;
      page.userPresets?.render();
      const items = [];
      if (plan.error) items.push(['error', plan.error]);
      for (const u of plan.unparsed) items.push(['warn', `Not understood: “${u}” — it will be ignored.`]);
      for (const n of plan.notes) items.push(['info', n]);
      $('plan-notes').replaceChildren(...items.map(([tone, text]) => {
        const li = page.doc.createElement('li');
        li.dataset.tone = tone;
        li.textContent = text;
        return li;
      }));
    },

    /** The command box, its examples, the quick edits and "Clear". */
    wire() {
      $('command-form').addEventListener('submit', (e) => { e.preventDefault(); view.readCommand($('command').value); });
      $('command').addEventListener('keydown', (e) => {
        if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); view.readCommand($('command').value); }
      });
      for (const b of page.doc.querySelectorAll('[data-example]')) {
        b.addEventListener('click', () => { $('command').value = b.textContent; view.readCommand(b.textContent); });
      }
      for (const b of page.doc.querySelectorAll('[data-preset]')) b.addEventListener('click', () => view.addPreset(b.dataset.preset));
      $('clear-plan').addEventListener('click', view.clear);
    },
  };
  return view;
}
