import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  describeStep, stepFields, unknownFields, schemaLimits, fieldValue, withField, bulkToCall, explainError,
} from '../src/steps.js';
import { toolSchema } from './tool-schema.mjs';

const STEP_FIELDS = stepFields(toolSchema());

const d = (tool, params, extra) => describeStep({ tool, params, ...extra });

test('resize in words', () => {
  assert.equal(d('resize', { width: 1200 }), 'Resize to 1200 px wide');
  assert.equal(d('resize', { height: 800 }), 'Resize to 800 px tall');
  assert.equal(d('resize', { scale: 0.5 }), 'Resize to 50 %');
  assert.equal(d('resize', { width: 800, height: 600 }), 'Resize to fit within 800 × 600 px');
  assert.equal(d('resize', { width: 800, height: 600, fit: 'cover' }), 'Resize and crop to fill 800 × 600 px');
  assert.equal(d('resize', { width: 800, height: 600, maintainAspect: false }), 'Stretch to exactly 800 × 600 px');
  assert.equal(d('resize', { width: 800, noEnlarge: true }), 'Resize to 800 px wide, never enlarging');
});

test('every tool has a sentence', () => {
  assert.equal(d('rotate', { degrees: 90 }), 'Rotate 90° clockwise');
  assert.equal(d('rotate', { degrees: -90 }), 'Rotate 90° counter-clockwise');
  assert.equal(d('rotate', { degrees: 180 }), 'Rotate 180° (upside down)');
  assert.equal(d('flip', { direction: 'horizontal' }), 'Flip horizontally (mirror)');
  assert.equal(d('flip', { direction: 'vertical' }), 'Flip vertically (upside down)');
  assert.equal(d('crop', { aspectRatio: '1:1' }), 'Crop to 1:1 (square)');
  assert.equal(d('crop', { aspectRatio: '16:9', gravity: 'north' }), 'Crop to 16:9, keeping the top');
  assert.equal(d('crop', { trim: 20 }), 'Trim 20 px from every side');
  assert.equal(d('crop', { x: 10, y: 20, width: 300, height: 200 }), 'Crop to 300 × 200 px from 10, 20');
  assert.equal(d('convert_format', { format: 'webp', quality: 80 }), 'Convert to WebP at quality 80');
  assert.equal(d('convert_format', { format: 'jpeg' }), 'Convert to JPEG');
  assert.equal(d('adjust_quality', {}), 'Set quality to 80');
  assert.equal(d('apply_filter', { filter: 'grayscale' }), 'Black and white');
  assert.equal(d('apply_filter', { filter: 'blur' }), 'Blur (radius 5 px)');
  assert.equal(d('apply_filter', { filter: 'sepia', intensity: 0.5 }), 'Sepia tone at 50 %');
  assert.equal(d('add_border', {}), 'Add a 10 px black border');
  assert.equal(d('add_border', { width: 4, color: 'white' }), 'Add a 4 px white border');
  assert.equal(d('add_border', { width: 10, color: '#ffffff' }), 'Add a 10 px white border');
  assert.equal(d('add_border', { color: '#FFF' }), 'Add a 10 px white border');
  assert.equal(d('add_border', { color: '#123456' }), 'Add a 10 px #123456 border');
  assert.equal(d('add_text', { text: '© Ana' }), 'Add the text “© Ana” at the bottom');
  assert.equal(d('add_text', { text: 'x', position: 'north-east' }), 'Add the text “x” top right');
  assert.equal(d('adjust', { brightness: 20, contrast: -10 }), 'Adjust brightness +20%, contrast −10%');
  assert.match(d('generate_with_llm', { prompt: 'remove the person' }), /^AI edit: “remove the person”$/);
  assert.equal(d('sparkle', {}), 'Unknown step “sparkle”');
});

test('OpenAI-style string params and targeted calls', () => {
  assert.equal(d('rotate', '{"degrees": 90}'), 'Rotate 90° clockwise');
  assert.equal(
    describeStep({ tool: 'flip', params: { direction: 'vertical' }, applyToAll: false, imageId: 'img_2' }, (id) => (id === 'img_2' ? 'Dune.jpg' : undefined)),
    'Flip vertically (upside down) (only Dune.jpg)',
  );
});

test('editor fields cover every tool and edit params without mutating', () => {
  for (const tool of ['resize', 'rotate', 'flip', 'crop', 'convert_format', 'adjust_quality', 'apply_filter', 'add_border', 'add_text', 'adjust', 'generate_with_llm']) {
    assert.ok(STEP_FIELDS[tool]?.length, tool);
  }
  const scale = STEP_FIELDS.resize.find((f) => f.name === 'scale');
  const width = STEP_FIELDS.resize.find((f) => f.name === 'width');
  const p = { width: 800 };
  assert.equal(fieldValue(scale, { scale: 0.5 }), 50);
  assert.deepEqual(withField(p, scale, '25'), { width: 800, scale: 0.25 });
  assert.deepEqual(withField(p, width, ''), {});
  assert.deepEqual(withField(p, width, '640'), { width: 640 });
  assert.deepEqual(withField(p, width, 'abc'), p);
  assert.deepEqual(p, { width: 800 });
  const never = STEP_FIELDS.resize.find((f) => f.name === 'withoutEnlargement');
  assert.deepEqual(withField({ width: 1, noEnlarge: true }, never, false), { width: 1 });
});

test('editor fields take their ranges, choices and required flags from toolSchema()', () => {
  const schema = toolSchema();
  assert.deepEqual(unknownFields(schema), [], 'every field the page has words for is in the schema');
  assert.deepEqual(Object.keys(STEP_FIELDS).sort(), schema.map((t) => t.function.name).sort(), 'every tool has an editor');
  const field = (tool, name) => STEP_FIELDS[tool].find((f) => f.name === name);
  assert.deepEqual(field('resize', 'width'), { name: 'width', label: 'Width (px)', type: 'number', step: 1, min: 1, max: 16384 });
  assert.deepEqual(field('resize', 'scale'), { name: 'scale', label: 'Scale (%)', type: 'number', step: 1, min: 1, max: 1600, percent: true });
  assert.deepEqual(field('rotate', 'degrees'), { name: 'degrees', label: 'Degrees (clockwise)', required: true, type: 'number', step: 1, min: -360, max: 360 });
  assert.deepEqual(field('crop', 'aspectRatio'), { name: 'aspectRatio', label: 'Aspect ratio (W:H)', type: 'text', pattern: '[0-9]{1,3}:[0-9]{1,3}' });
  assert.deepEqual(field('add_text', 'text'), { name: 'text', label: 'Text', required: true, type: 'text', maxLength: 500 });
  assert.deepEqual(field('flip', 'direction').options, ['horizontal', 'vertical']);
  assert.equal(field('apply_filter', 'intensity').step, 0.05);
  assert.deepEqual(STEP_FIELDS.resize.map((f) => f.name), ['width', 'height', 'scale', 'fit', 'withoutEnlargement'], 'the page picks which fields show, in its order');
  // Each field's range is the schema's own, wherever it is written there.
  for (const t of schema) {
    for (const f of STEP_FIELDS[t.function.name]) {
      const p = t.function.parameters.properties[f.name];
      if (p.maximum != null) assert.equal(f.max, p.maximum * (f.percent ? 100 : 1), `${t.function.name}.${f.name}`);
      if (p.enum) assert.deepEqual(f.options, p.enum);
    }
  }
  assert.deepEqual(schemaLimits(schema), { maxSide: 16384 });
});

test('a tool the page has no words for still gets its editor, and drift is reported', () => {
  const schema = [
    { type: 'function', function: { name: 'vibrance', parameters: { properties: { amount: { type: 'number', minimum: -100, maximum: 100 }, skinTones: { type: 'boolean' } }, required: ['amount'] } } },
    { type: 'function', function: { name: 'resize', parameters: { properties: { width: { type: 'integer', minimum: 1, maximum: 8192 } } } } },
  ];
  assert.deepEqual(stepFields(schema).vibrance, [
    { name: 'amount', label: 'Amount', required: true, type: 'number', step: 'any', min: -100, max: 100 },
    { name: 'skinTones', label: 'Skin tones', type: 'checkbox' },
  ]);
  assert.deepEqual(stepFields(schema).resize, [{ name: 'width', label: 'Width (px)', type: 'number', step: 1, min: 1, max: 8192 }]);
  assert.ok(unknownFields(schema).includes('resize.height'));
  assert.deepEqual(schemaLimits(schema), { maxSide: 8192 });
  assert.deepEqual(stepFields(null), {});
});

test('presets are the original plan bulk operations', () => {
  const ops = [
    { type: 'resize', params: { scale: 0.5 } }, { type: 'rotate', params: { degrees: 90 } },
    { type: 'flip', params: { direction: 'horizontal' } }, { type: 'format', params: { format: 'webp' } },
    { type: 'filter', params: { filter: 'sepia' } },
  ];
  assert.deepEqual(ops.map(bulkToCall).map((c) => c.tool), ['resize', 'rotate', 'flip', 'convert_format', 'apply_filter']);
  assert.deepEqual(bulkToCall(ops[3]).params, { format: 'webp' });
});

test('engine errors are explained per step', () => {
  const calls = [{ tool: 'resize', params: { width: 800 } }, { tool: 'rotate', params: { degrees: 900 } }];
  assert.equal(
    explainError('toolCalls[1].params.degrees: expected a number from -360 to 360, got 900', calls),
    'Step 2 (Rotate 900° clockwise): degrees expected a number from -360 to 360, got 900',
  );
  assert.equal(explainError('options.quality: bad', calls), 'Output option quality: bad');
  assert.equal(explainError('cannot decode image: truncated'), 'cannot decode image: truncated');
});
