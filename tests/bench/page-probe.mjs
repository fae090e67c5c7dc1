// The page measurement shared by scripts/bench (bench.mjs) and
// page-trace.mjs, so that both measure the same moments the same way.
//
// The page reports both moments on the console; the harness only listens.
// (page.waitForFunction would inject Playwright's own, large script into the
// page while it loads: tens of ms of main-thread work a clinician's browser
// never does, measured as if it were the page's.)

/** Debian's Chromium, headless, never a downloaded browser. */
export function launchChromium(chromium) {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--no-first-run', '--disable-quic', '--disable-sync'],
  });
}

/**
 * Before the page loads: when window.mtorCalc is set, evaluate one request
 * at once (the first answer), mark `bench:set` and `bench:first-answer`, and
 * say `bench:first-answer` on the console; say `bench:ready` when the page
 * has drawn its own answer (the mtorcalc:ready event).
 */
function installProbe(page) {
  return page.addInitScript(() => {
    let v;
    Object.defineProperty(window, 'mtorCalc', {
      configurable: true,
      get: () => v,
      set(x) {
        v = x;
        performance.mark('bench:set');
        try { x.evaluate('{"contract":"mtor-calc/1","indication":"rcc"}'); } catch { /* measured anyway */ }
        window.__firstAnswerMs = performance.now(); // ms since navigation start
        performance.mark('bench:first-answer');
        console.debug('bench:first-answer');
      },
    });
    document.addEventListener('mtorcalc:ready', () => console.debug('bench:ready'));
    // Input → painted: from a keydown (a keystroke) or an input event (a
    // select chosen) to the first moment after the next frame, which is when
    // the browser has painted what the handlers changed. Each interaction
    // is pushed to window.__paints as [what, ms].
    window.__paints = [];
    let start = null;
    const painted = (what) => {
      const t0 = start;
      requestAnimationFrame(() => {
        const ch = new MessageChannel();
        ch.port1.onmessage = () => { window.__paints.push([what, performance.now() - t0]); };
        ch.port2.postMessage(0);
      });
      start = null;
    };
    window.addEventListener('keydown', (e) => { start = e.timeStamp; }, true);
    window.addEventListener('input', (e) => {
      const what = e.target.tagName === 'SELECT' ? `select ${e.target.id}` : 'keystroke';
      if (start === null) start = e.timeStamp;
      painted(what);
    }, true);
  });
}

/**
 * A fresh context (service worker blocked, as a first visit) and a page in
 * it with the probe installed, its CPU slowed `throttle` times when above 1
 * (CDP Emulation.setCPUThrottlingRate), in a phone's viewport (Lighthouse's
 * mobile one, 412 x 823: the form fills the screen, the answer is below
 * it). Close the context when done.
 */
export async function openProbedPage(browser, throttle = 1) {
  const context = await browser.newContext({ serviceWorkers: 'block', viewport: { width: 412, height: 823 } });
  const page = await context.newPage();
  await installProbe(page);
  if (throttle > 1) {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
  }
  return { context, page };
}
