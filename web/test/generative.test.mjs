import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitPlan, hasAiStep, withoutAiSteps, describeAiEdit } from '../src/generative.js';

const ai = (prompt) => ({ tool: 'generate_with_llm', params: { prompt } });
const gray = { tool: 'apply_filter', params: { filter: 'grayscale' } };
const resize = { tool: 'resize', params: { width: 800 } };

test('the plan is split around its AI steps, in order', () => {
  assert.deepEqual(splitPlan([resize, ai('remove the person'), gray]), [
    { kind: 'local', calls: [resize] },
    { kind: 'ai', call: ai('remove the person') },
    { kind: 'local', calls: [gray] },
  ]);
  assert.deepEqual(splitPlan([ai('a'), ai('b')]), [{ kind: 'ai', call: ai('a') }, { kind: 'ai', call: ai('b') }]);
  assert.deepEqual(splitPlan([resize, gray]), [{ kind: 'local', calls: [resize, gray] }]);
  assert.deepEqual(splitPlan([]), []);
});

test('AI steps found, dropped, and described', () => {
  assert.equal(hasAiStep([resize, ai('x')]), true);
  assert.equal(hasAiStep([resize]), false);
  assert.deepEqual(withoutAiSteps([resize, ai('x'), gray]), [resize, gray]);
  assert.equal(describeAiEdit('remove the person', true), 'AI edit: remove the person (painted area)');
  assert.equal(describeAiEdit(' make it look like a watercolour ', false), 'AI edit: make it look like a watercolour');
});
