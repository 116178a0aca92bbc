// Small page-wide helpers: the screen-reader announcer and the notice under the drop zone.

/**
 * @param {{$: (id: string) => HTMLElement, win: Window}} page
 * @returns {{announce(text: string): void, notice(text: string, tone?: string): void}}
 */
export function createUi(page) {
  let announceTimer = 0;
  let noticeTimer = 0;
  return {
    /** Says `text` to screen readers (the live region is cleared first so a repeat is read again). */
    announce(text) {
      const el = page.$('announcer');
      page.win.clearTimeout(announceTimer);
      el.textContent = '';
      announceTimer = page.win.setTimeout(() => { el.textContent = text; }, 50);
    },
    /** Shows a notice under the drop zone; an `info` one hides itself after 6 s. */
    notice(text, tone = 'info') {
      const el = page.$('add-notice');
      el.textContent = text;
      el.dataset.tone = tone;
      el.hidden = !text;
      page.win.clearTimeout(noticeTimer);
      if (tone === 'info' && text) noticeTimer = page.win.setTimeout(() => { el.hidden = true; }, 6000);
    },
  };
}
