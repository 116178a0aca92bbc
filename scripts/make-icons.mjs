// Renders the app icons' PNGs (web/src/icons/*.png, committed) from their SVGs with Debian's
// headless Chromium: the manifest needs PNGs for installs that do not take SVG icons.
//   node scripts/make-icons.mjs
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const dir = join(dirname(fileURLToPath(import.meta.url)), '../web/src/icons');
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  for (const [svg, sizes] of [['icon.svg', [192, 512]], ['maskable.svg', [512]]]) {
    const markup = readFileSync(join(dir, svg), 'utf8');
    for (const size of sizes) {
      const page = await browser.newPage({ viewport: { width: size, height: size } });
      await page.setContent(`<style>html,body{margin:0;background:transparent}svg{display:block;width:${size}px;height:${size}px}</style>${markup}`);
      const out = join(dir, `${svg.replace('.svg', '')}-${size}.png`);
      await page.screenshot({ path: out, omitBackground: true });
      await page.close();
      console.log(out);
    }
  }
} finally {
  await browser.close();
}
