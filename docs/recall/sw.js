// mtorcalc recall worker: copy this file over sw.js in the deployed site to
// withdraw every installed copy of the calculator while the address keeps
// answering (e.g. with a notice page in place of index.html). See
// docs/hosting.md, "Recall". Each browser that had the calculator installed
// fetches sw.js when the page is next opened (and pages left open check at
// least hourly), installs this worker in place of the old one, and this
// worker then deletes the calculator's cached files, unregisters itself and
// reloads the pages it controlled from the network.
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const scope = self.registration.scope;
    for (const name of await caches.keys()) if (name.startsWith('mtorcalc-') && name.endsWith(scope)) await caches.delete(name);
    await self.registration.unregister();
    const pages = await self.clients.matchAll({ type: 'window' });
    await Promise.all(pages.map((page) => page.navigate(page.url).catch(() => undefined)));
  })());
});
