// What a phone user feels once the page is there, measured in headless
// Chromium (scripts/bench): a fresh visit at the given CPU throttling, then
// the indication chosen and a case typed key by key, each interaction timed
// from its input event to the next painted frame (page-probe.mjs).
import { openProbedPage } from './page-probe.mjs';

// Typed into the form after choosing the indication, key by key.
const TYPED = [['#f-patient-age_years', '58'], ['#f-patient-weight_kg', '80.5'], ['#f-patient-height_cm', '178'],
  ['#f-therapy-current_dose_mg', '10']];

/**
 * One visit: { first, ready, choose, keys: [ms...] }. first: navigation →
 * the engine's first answer (window.mtorCalc evaluated the moment it is
 * set); ready: navigation → the page's mtorcalc:ready; choose: indication
 * chosen → answer painted; keys: each keystroke → answer painted.
 */
export async function visit(browser, url, throttle, { indication = 'rcc', pauseMs = 1500 } = {}) {
  const { context, page } = await openProbedPage(browser, throttle);
  try {
    const said = (text) => page.waitForEvent('console', { predicate: (m) => m.text() === text, timeout: 60000 });
    const first = said('bench:first-answer');
    const ready = said('bench:ready');
    await page.goto(url, { waitUntil: 'commit' });
    await first;
    await ready;
    const load = await page.evaluate(() => ({
      first: window.__firstAnswerMs,
      ready: performance.getEntriesByType('mark').find((m) => m.name === 'mtorcalc:ready')?.startTime ?? NaN,
    }));
    // A clinician reads the page before choosing: idle work may run.
    await page.waitForTimeout(pauseMs);
    await page.selectOption('#indication', indication);
    await page.waitForTimeout(500);
    for (const [sel, text] of TYPED) {
      await page.focus(sel);
      for (const key of text) {
        await page.keyboard.press(key);
        await page.waitForTimeout(150);
      }
    }
    await page.waitForTimeout(300);
    const paints = await page.evaluate(() => window.__paints);
    const choose = paints.find(([what]) => what === 'select indication')?.[1] ?? NaN;
    const keys = paints.filter(([what]) => what === 'keystroke').map(([, ms]) => ms);
    return { ...load, choose, keys };
  } finally {
    await context.close();
  }
}
