import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeCall, presetParams } from '../src/plan-view.js';
import { makePage, FakePool, FakeApi } from './page-env.mjs';
import { useToolSchema } from '../src/page.js';
import { toolSchema } from './tool-schema.mjs';

const stepTexts = (t) => [...t.doc.querySelectorAll('#plan .step-text')].map((e) => e.textContent);

test('calls are kept with object params and an explicit target', () => {
  assert.deepEqual(normalizeCall({ tool: 'rotate', params: '{"degrees":90}' }), { tool: 'rotate', params: { degrees: 90 }, applyToAll: true });
  assert.deepEqual(normalizeCall({ tool: 'flip', params: { direction: 'vertical' }, imageId: 'img_2' }),
    { tool: 'flip', params: { direction: 'vertical' }, applyToAll: false, imageId: 'img_2' });
  assert.deepEqual(presetParams('resize', '0.5'), { scale: 0.5 });
  assert.deepEqual(presetParams('format', 'webp'), { format: 'webp' });
});

test('a command read on this device becomes the plan, with notes and what was not understood', async () => {
  const pool = new FakePool({
    parse: (j) => j.resolve({
      toolCalls: [{ tool: 'resize', params: { width: 1200 } }, { tool: 'apply_filter', params: { filter: 'grayscale' } }],
      unparsed: ['sparkles'], notes: ['Width taken as 1200 px.'],
    }),
  });
  const t = makePage({ pool });
  try {
    await t.page.planView.readCommand('  1200 px wide, black and white, sparkles ');
    assert.equal(pool.jobs[0].msg.text, '1200 px wide, black and white, sparkles');
    const { plan } = t.page.state;
    assert.equal(plan.fromCommand, true);
    assert.equal(plan.command, '1200 px wide, black and white, sparkles');
    assert.deepEqual(stepTexts(t), ['Resize to 1200 px wide', 'Black and white']);
    assert.deepEqual([...t.doc.querySelectorAll('#plan-notes li')].map((l) => [l.dataset.tone, l.textContent]), [
      ['warn', 'Not understood: “sparkles” — it will be ignored.'], ['info', 'Width taken as 1200 px.'],
    ]);
    assert.equal(t.$('parser-note').textContent, 'Read on this device');
    assert.equal(t.$('plan-empty').hidden, true);
    assert.equal(t.$('read-command').disabled, false);
  } finally {
    await t.close();
  }
});

test('signed in, the server reads the command; unreachable, the engine here does; a 400 is shown', async () => {
  let reply = () => ({ toolCalls: [{ tool: 'flip', params: { direction: 'vertical' } }], parser: 'llm' });
  const api = new FakeApi({ auth: { token: 't', email: 'a@b.c' }, parseCommand: (...a) => reply(...a) });
  const pool = new FakePool({ parse: (j) => j.resolve({ toolCalls: [{ tool: 'rotate', params: { degrees: 90 } }] }) });
  const t = makePage({ api, pool });
  try {
    await t.page.planView.readCommand('upside down');
    assert.deepEqual(api.calls[0], ['parseCommand', 'upside down', 1]);
    assert.equal(t.$('parser-note').textContent, 'Read by the server (llm)');
    assert.deepEqual(stepTexts(t), ['Flip vertically (upside down)']);

    reply = () => { throw Object.assign(new Error('The server could not be reached.'), { status: 0 }); };
    await t.page.planView.readCommand('rotate right');
    assert.equal(t.$('parser-note').textContent, 'Read on this device (server unavailable)');
    assert.deepEqual(stepTexts(t), ['Rotate 90° clockwise']);

    reply = () => { throw Object.assign(new Error('command is too long'), { status: 400 }); };
    await t.page.planView.readCommand('x');
    assert.equal(t.page.state.plan.error, "Couldn't read the command: command is too long");
    assert.equal(t.doc.querySelector('#plan-notes li').dataset.tone, 'error');
  } finally {
    await t.close();
  }
});

test('a command with no edit says so', async () => {
  const t = makePage({ pool: new FakePool({ parse: (j) => j.resolve({ toolCalls: [] }) }) });
  try {
    await t.page.planView.readCommand('hello');
    assert.match(t.page.state.plan.error, /^Nothing in that command is an edit I know/);
  } finally {
    await t.close();
  }
});

test('steps can be added from presets, moved, edited and removed', async () => {
  const t = makePage();
  try {
    t.$('preset-resize').value = '0.5';
    t.page.planView.addPreset('resize');
    t.$('preset-filter').value = 'sepia';
    t.page.planView.addPreset('filter');
    assert.deepEqual(stepTexts(t), ['Resize to 50 %', 'Sepia tone']);
    assert.equal(t.$('clear-plan').hidden, false);

    t.doc.querySelectorAll('#plan .step-up')[1].click();
    assert.deepEqual(stepTexts(t), ['Sepia tone', 'Resize to 50 %']);

    // The resize editor: its scale field is in percent.
    const scale = t.doc.querySelector('#step-1-scale');
    assert.equal(scale.value, '50');
    scale.value = '25';
    scale.dispatchEvent(new t.win.Event('change'));
    assert.deepEqual(t.page.state.plan.calls[1].params, { scale: 0.25 });
    assert.equal(stepTexts(t)[1], 'Resize to 25 %');

    t.doc.querySelectorAll('#plan .step-remove')[0].click();
    assert.deepEqual(stepTexts(t), ['Resize to 25 %']);
    t.page.planView.clear();
    assert.deepEqual(stepTexts(t), []);
    assert.equal(t.$('plan-empty').hidden, false);
  } finally {
    await t.close();
  }
});

test('an edited plan is no longer the command; an open editor stays open across renders', async () => {
  const t = makePage({ pool: new FakePool({ parse: (j) => j.resolve({ toolCalls: [{ tool: 'rotate', params: { degrees: 90 } }] }) }) });
  try {
    await t.page.planView.readCommand('rotate right');
    t.doc.querySelector('#plan .step-edit').click();
    assert.equal(t.doc.querySelector('#plan .step-editor').hidden, false);
    const degrees = t.doc.querySelector('#step-0-degrees');
    degrees.value = '45';
    degrees.dispatchEvent(new t.win.Event('change'));
    assert.equal(t.page.state.plan.fromCommand, false);
    t.page.planView.render();
    assert.equal(t.doc.querySelector('#plan .step-editor').hidden, false);
    assert.equal(t.doc.querySelector('#plan .step-edit').textContent, 'Done');
    // A required field left blank changes nothing.
    const again = t.doc.querySelector('#step-0-degrees');
    again.value = '';
    again.dispatchEvent(new t.win.Event('change'));
    assert.deepEqual(t.page.state.plan.calls[0].params, { degrees: 45 });
  } finally {
    await t.close();
  }
});

test('before the engine has loaded, steps show without editors; its schema brings them', async () => {
  const t = makePage({ schema: null });
  try {
    t.page.planView.setCalls([{ tool: 'resize', params: { width: 800 } }]);
    t.doc.querySelector('#plan .step-edit').click();
    assert.equal(t.doc.querySelectorAll('#plan .step-editor input').length, 0);
    useToolSchema(t.page, toolSchema());
    assert.equal(t.doc.querySelector('#plan .step-editor').hidden, false, 'the open editor stays open');
    assert.equal(t.doc.querySelector('#step-0-width').value, '800');
    assert.equal(t.doc.querySelector('#step-0-width').max, '16384');
  } finally {
    await t.close();
  }
});
