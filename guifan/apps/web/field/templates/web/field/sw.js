// guifan field app service worker (scope /t/): keeps the app shell and the last pages seen,
// so the route opens without a connection. Writes never go through the cache.
const CACHE = {{ cache_name|safe }};
const PAGES = CACHE + "-pages";
const SHELL = {{ shell|safe }};
const HOME = {{ home|safe }};

self.addEventListener("install", (event) => {
  event.waitUntil(
    Promise.all([
      caches.open(CACHE).then((cache) => cache.addAll(SHELL)),
      caches.open(PAGES).then((cache) => cache.add(HOME)),
    ]).then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE && k !== PAGES).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

function navigate(request) {
  // Network first: fresh state when online, the last copy when not.
  return fetch(request)
    .then((response) => {
      if (response.type === "opaqueredirect") {
        // Pages under /t/ redirect only to the login page: the session ended, and the pages
        // kept for the last user must not outlive it.
        caches.delete(PAGES);
      } else if (response.ok) {
        const copy = response.clone();
        caches.open(PAGES).then((cache) => cache.put(request, copy));
      }
      return response;
    })
    .catch(() =>
      caches.open(PAGES).then((cache) => cache.match(request).then((hit) => hit || cache.match(HOME)))
    );
}

function shellFile(request) {
  // Stale while revalidate: the cached copy at once, refreshed for next time.
  return caches.open(CACHE).then((cache) =>
    cache.match(request).then((hit) => {
      const fresh = fetch(request)
        .then((response) => {
          if (response.ok) cache.put(request, response.clone());
          return response;
        })
        .catch(() => hit);
      return hit || fresh;
    })
  );
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(navigate(request));
  } else if (SHELL.includes(url.pathname)) {
    event.respondWith(shellFile(request));
  }
});
