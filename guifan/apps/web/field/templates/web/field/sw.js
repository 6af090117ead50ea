// guifan field app service worker (scope /t/): keeps the app shell (with each font slice a page
// used), the last pages seen and today's visit pages, so the route and the visits open without
// a connection. Writes never go through the cache: a form post that cannot reach the server is
// kept in the offline queue (queue.js) and the phone is sent where the server would have sent it.
const CACHE = {{ cache_name|safe }};
const PAGES = CACHE + "-pages";
const SHELL = {{ shell|safe }};
const HOME = {{ home|safe }};
const FONTS = {{ fonts|safe }};
importScripts({{ queue|safe }});

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
      // ignoreVary: the pages vary on Cookie and Accept-Language, which a kept copy cannot match.
      caches.open(PAGES).then((cache) =>
        cache.match(request, { ignoreVary: true }).then((hit) => hit || cache.match(HOME, { ignoreVary: true }))
      )
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

function keep(request, copy) {
  // The page stamped the tap time into the form (field "at"); the queue keeps it.
  return fetch(request).catch(() =>
    copy.formData().then((data) => {
      const action = self.GuifanQueue.fromForm(copy.url, data, "");
      if (!action) return Response.error();
      const next = new URL(self.GuifanQueue.target(action, HOME), self.location.origin).href;
      return self.GuifanQueue.push(action).then(() => Response.redirect(next, 303));
    })
  );
}

self.addEventListener("message", (event) => {
  // The route page asks for today's visit pages to be kept.
  const urls = event.data && Array.isArray(event.data.precache) ? event.data.precache : [];
  const mine = urls.filter((u) => typeof u === "string" && u.startsWith(HOME));
  if (mine.length) event.waitUntil(caches.open(PAGES).then((cache) => cache.addAll(mine)).catch(() => {}));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && request.mode === "navigate" && url.pathname.startsWith(HOME + "o/")) {
    event.respondWith(keep(request, request.clone()));
    return;
  }
  if (request.method !== "GET") return;
  if (request.mode === "navigate") {
    event.respondWith(navigate(request));
  } else if (SHELL.includes(url.pathname) || url.pathname.startsWith(FONTS)) {
    event.respondWith(shellFile(request));
  }
});
