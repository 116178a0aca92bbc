// The page assembled: one state, one part per concern, each reaching the others through `page`
// when it is called (never on import). `createPage` builds it; `startPage` wires it to the DOM.

import { createState } from './state.js';
import { stepFields, schemaLimits } from './steps.js';
import { createUi } from './ui.js';
import { createPhotos } from './photos.js';
import { createPlanView } from './plan-view.js';
import { createOutputPanel } from './output-panel.js';
import { createRun } from './run.js';
import { createResults } from './results.js';
import { createCloud } from './cloud.js';
import { createSessionView } from './session-view.js';
import { createAiEdit } from './ai-edit.js';
import { createBackendStatus } from './backend-status.js';
import { createUserPresets } from './user-presets.js';

/**
 * The page's parts over one state.
 * @param {{doc: Document, win: Window, pool: {run: Function}, api: object, storage?: Storage}} env
 */
export function createPage({ doc, win, pool, api, storage = win.localStorage }) {
  const page = {
    state: createState(), doc, win, pool, api, storage, baseTitle: doc.title,
    $: (id) => doc.getElementById(id),
  };
  page.ui = createUi(page);
  page.photos = createPhotos(page);
  page.planView = createPlanView(page);
  page.output = createOutputPanel(page);
  page.run = createRun(page);
  page.results = createResults(page);
  page.cloud = createCloud(page);
  page.session = createSessionView(page);
  page.ai = createAiEdit(page);
  page.backend = createBackendStatus(page);
  page.userPresets = createUserPresets(page);
  return page;
}

/** Wires every part to the DOM, shows the initial state and opens a session named in the URL. */
export function startPage(page) {
  const { state, win } = page;
  page.output.load();
  for (const part of [page.photos, page.planView, page.output, page.run, page.results, page.cloud, page.session, page.ai, page.backend, page.userPresets]) part.wire();
  win.addEventListener('beforeunload', (e) => { if (state.run?.active || state.cloud?.active) e.preventDefault(); });
  page.cloud.renderAccount();
  page.output.render();
  page.planView.render();
  page.photos.render();
  page.session.openFromHash();
  return page;
}

/**
 * Takes the engine's `toolSchema()`: the step editors' fields and the largest side come from it.
 * Until it arrives (the engine loads after the page), steps show without editors.
 */
export function useToolSchema(page, schema) {
  page.state.tools = { fields: stepFields(schema), ...schemaLimits(schema) };
  page.output.useLimits();
  page.planView.render();
}

/**
 * What tests (and the curious) may reach: the pool, the photos, the plan (`setPlan` replaces it,
 * as a parsed command would), the current run and the cloud save.
 */
export function testHooks(page) {
  const { state } = page;
  return {
    pool: page.pool, api: page.api, images: state.images, plan: state.plan,
    get run() { return state.run; }, get cloud() { return state.cloud; }, get painter() { return page.ai.painter; },
    setPlan(calls) { page.planView.setCalls(calls); },
    get presets() { return page.userPresets.list; },
  };
}
