// The page's state, in one place: the photos, the plan, the current run, the cloud save and the
// session being watched. Plain objects; every view reads them and brings its DOM up to date.
// Nothing happens on import: `createState()` makes a fresh state (one per page, one per test).

/** At most this many photos in a batch (the worker's session limit is the same). */
export const MAX_IMAGES = 50;

/**
 * @typedef {object} Img
 * @property {string} id
 * @property {File} file
 * @property {string} url object URL of the original
 * @property {'reading'|'ready'|'unreadable'|'queued'|'processing'|'done'|'error'|'cancelled'} status
 * @property {number} progress 0..1
 * @property {string} stepText
 * @property {string} [error]
 * @property {string} [errorDetail]
 * @property {string} [cloudError]
 * @property {{width:number,height:number,format:string}} [info]
 * @property {object} [result]
 * @property {AbortController} [controller]
 * @property {HTMLElement} el
 */

/**
 * @typedef {object} Plan
 * @property {object[]} calls the tool calls, in order
 * @property {string} command the command they were read from
 * @property {boolean} fromCommand true while the calls are exactly what `command` gave
 * @property {string[]} notes
 * @property {string[]} unparsed
 * @property {string} parser who read the command, in words
 * @property {string} error
 */

/**
 * A fresh page state.
 * @example const state = createState(); state.images.size // 0
 */
export function createState() {
  return {
    /** @type {Map<string, Img>} in the order they were added */
    images: new Map(),
    nextImageId: 1,
    /** @type {Plan} */
    plan: { calls: [], command: '', fromCommand: false, notes: [], unparsed: [], parser: 'local', error: '' },
    /** The current (or last) run: when, with which plan and options. */
    run: null,
    /** The current (or last) save to cloud. */
    cloud: null,
    /** The session shown live (SSE). */
    session: { id: '', images: new Map(), events: 0, state: '' },
    /** What the engine's `toolSchema()` says: each tool's editable fields, the largest side. */
    tools: { fields: {}, maxSide: null },
    /** The max file size field's error shows once the field is left (or a run is asked for). */
    sizeErrorShown: false,
    /** Whether the worker has an AI image service (null until it says), and whether the page said it has none. */
    aiAvailable: null,
    /** The device is offline (navigator.onLine false): cloud features say they need a connection. */
    offline: false,
    aiNoticeShown: false,
  };
}

/** The photos a run would process (all but those the engine cannot read). */
export function runnable(state) {
  return [...state.images.values()].filter((i) => i.status !== 'unreadable');
}

/** The photos with a result. */
export function finished(state) {
  return [...state.images.values()].filter((i) => i.status === 'done' && i.result);
}

/** Whether a run or a save to cloud is under way (a new run would replace the results). */
export function busy(state) {
  return Boolean(state.run?.active || state.cloud?.active);
}
