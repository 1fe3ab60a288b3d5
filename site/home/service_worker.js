/* Pas à pas: the service worker, served as /sw.js by home/offline.py, which puts the
 * CONFIG line above this text (version, addresses). Hand-written on purpose: no build
 * step, no library, nothing from another host.
 *
 * What it does, and nothing more:
 * - Guides a person opened are kept for offline reading: site.js (on a guide page) asks
 *   for it by message, and the guide's HTML, stylesheets, scripts and the pictures the
 *   browser chose are stored in the cache GUIDES. Their list (title, files) is in INDEX.
 *   A guide removed by the person stays out (INDEX says so) until they keep it again.
 * - Pages: network first. The kept copy is served only when the network fails, answers
 *   with a server error, or is slower than CONFIG.timeout (a weak signal); any other page
 *   then gets the offline page (« Vous êtes hors connexion »), kept at install.
 *   Why network first rather than stale-while-revalidate: a person online always reads
 *   the guide as published now (a corrected step, a new scam warning), and the copy is
 *   refreshed on that same visit (site.js asks again after every load); with
 *   stale-while-revalidate they would read the old version once more.
 * - Files (CSS, JS, pictures) come from the caches only when the browser is offline or
 *   for a page this worker served from its caches; otherwise it does not touch them.
 * - Never stored: anything but a GET; the admin, the carnet, sign-up links and the API
 *   (CONFIG.private: not even looked at); any answer marked private or no-store (the
 *   server marks so everything personal); guides are fetched without cookies, so what is
 *   kept is what any visitor gets.
 */
"use strict";

var SHELL = "pasapas-shell-" + CONFIG.version;  // the offline page and its files
var GUIDES = "pasapas-guides";  // kept guides and their files; survives new versions
var INDEX = "pasapas-guides-index";  // per guide: {title, files, kept}
var servedFromCache = new Set();  // pages (client ids) this worker answered from caches

self.addEventListener("install", function (event) {
    event.waitUntil(
        caches.open(SHELL)
            .then(function (cache) {
                return cache.addAll(CONFIG.shell.map(function (address) {
                    return new Request(address, {credentials: "omit"});  // the anonymous page
                }));
            })
            .then(function () { return self.skipWaiting(); })
    );
});

self.addEventListener("activate", function (event) {
    event.waitUntil(
        caches.keys()
            .then(function (names) {
                return Promise.all(names.filter(function (name) {
                    return name.indexOf("pasapas-shell-") === 0 && name !== SHELL;
                }).map(function (name) { return caches.delete(name); }));
            })
            // No navigation preload: Chromium then sends a page it preloaded a second time
            // when the worker leaves it alone (the carnet's ?code= would count twice).
            .then(function () { return self.clients.claim(); })
    );
});

function isPrivate(path) {
    return CONFIG.private.some(function (prefix) { return path.indexOf(prefix) === 0; });
}

/* The address a guide is kept under: this site, no query, no fragment. */
function pageKey(address) {
    var url = new URL(address, self.location.href);
    if (url.origin !== self.location.origin || isPrivate(url.pathname)) return null;
    return url.origin + url.pathname;
}

function storable(response) {
    var control = response.headers.get("Cache-Control") || "";
    return response.status === 200 && response.type === "basic" && !response.redirected &&
        !/private|no-store/i.test(control);
}

function serveCopy(event, response) {
    if (event.resultingClientId) servedFromCache.add(event.resultingClientId);
    return response;
}

function offlinePage(event) {
    return caches.match(CONFIG.offline, {cacheName: SHELL}).then(function (page) {
        return serveCopy(event, page || Response.error());
    });
}

function navigate(event) {
    var key = pageKey(event.request.url);
    return caches.match(key, {cacheName: GUIDES, ignoreVary: true}).then(function (copy) {
        var answer = fetch(event.request).then(function (response) {
            return copy && response.status >= 500 ? serveCopy(event, copy) : response;
        }, function () {
            return copy ? serveCopy(event, copy) : offlinePage(event);
        });
        if (!copy) return answer;
        // A kept copy: do not keep a person waiting on a weak signal.
        var late = new Promise(function (resolve) { setTimeout(resolve, CONFIG.timeout, null); });
        event.waitUntil(answer.catch(function () {}));
        return Promise.race([answer, late]).then(function (response) {
            return response || serveCopy(event, copy.clone());
        });
    });
}

function fromCaches(request) {
    return caches.match(request, {ignoreVary: true}).then(function (hit) {
        return hit || fetch(request);
    });
}

self.addEventListener("fetch", function (event) {
    var request = event.request;
    if (request.method !== "GET") return;
    var url = new URL(request.url);
    if (url.origin !== self.location.origin || isPrivate(url.pathname)) return;
    if (request.mode === "navigate") {
        event.respondWith(navigate(event));
    } else if (!self.navigator.onLine || servedFromCache.has(event.clientId)) {
        event.respondWith(fromCaches(request));
    }
});

/* The index: one JSON answer per guide, in the INDEX cache. */
function readEntry(key) {
    return caches.open(INDEX).then(function (index) { return index.match(key); })
        .then(function (found) { return found ? found.json() : null; });
}

function writeEntry(key, entry) {
    return caches.open(INDEX).then(function (index) {
        return index.put(key, new Response(JSON.stringify(entry), {headers: {"Content-Type": "application/json"}}));
    });
}

function entries() {
    return caches.open(INDEX).then(function (index) {
        return index.keys().then(function (requests) {
            return Promise.all(requests.map(function (request) {
                return index.match(request).then(function (found) { return found.json(); })
                    .then(function (entry) { entry.url = request.url; return entry; });
            }));
        });
    });
}

/* Deletes from GUIDES what no kept guide needs any more. */
function prune() {
    return entries().then(function (all) {
        var needed = new Set();
        all.forEach(function (entry) {
            if (!entry.kept) return;
            needed.add(entry.url);
            entry.files.forEach(function (file) { needed.add(file); });
        });
        return caches.open(GUIDES).then(function (guides) {
            return guides.keys().then(function (requests) {
                return Promise.all(requests.filter(function (request) {
                    return !needed.has(request.url);
                }).map(function (request) { return guides.delete(request); }));
            });
        });
    });
}

/* Only this site's static files and uploads, by their full address. */
function fileAddresses(files) {
    var kept = [];
    (files || []).forEach(function (file) {
        var url = new URL(file, self.location.href);
        var ours = url.origin === self.location.origin &&
            (url.pathname.indexOf(CONFIG.static) === 0 || url.pathname.indexOf(CONFIG.media) === 0);
        if (ours && kept.indexOf(url.href) < 0) kept.push(url.href);
    });
    return kept;
}

function storeFiles(guides, files) {
    return Promise.all(files.map(function (file) {
        return guides.match(file, {ignoreVary: true}).then(function (found) {
            if (found) return;  // files change address when they change (hashed names, renditions)
            return fetch(file, {credentials: "omit"}).then(function (response) {
                if (storable(response)) return guides.put(file, response);
            }, function () {});
        });
    }));
}

/* Keeps (or refreshes) a guide: a fresh copy of its page without cookies, then its files.
 * Offline, a kept guide stays as it is; a page the server no longer serves publicly (gone,
 * restricted) is dropped. */
function keep(key, data) {
    return readEntry(key).then(function (entry) {
        if (data.auto && entry && !entry.kept) return {kept: false};  // removed on purpose
        return caches.open(GUIDES).then(function (guides) {
            return fetch(key, {credentials: "omit", cache: "no-cache"}).then(function (response) {
                if (!storable(response)) return "refused";
                return guides.put(key, response).then(function () { return "fresh"; });
            }, function () { return "offline"; }).then(function (result) {
                if (result === "offline") return {kept: Boolean(entry && entry.kept)};
                if (result === "refused") return forget(key).then(function () { return {kept: false}; });
                var files = fileAddresses(data.files);
                return storeFiles(guides, files)
                    .then(function () { return writeEntry(key, {title: String(data.title || ""), files: files, kept: true}); })
                    .then(prune)
                    .then(function () { return {kept: true}; });
            });
        });
    });
}

function forget(key) {
    return caches.open(INDEX).then(function (index) { return index.delete(key); }).then(prune);
}

function remove(key) {
    return readEntry(key).then(function (entry) {
        return writeEntry(key, {title: entry ? entry.title : "", files: [], kept: false});
    }).then(prune).then(function () { return {kept: false}; });
}

function list() {
    return entries().then(function (all) {
        var kept = all.filter(function (entry) { return entry.kept; }).map(function (entry) {
            return {url: entry.url, title: entry.title};
        });
        kept.sort(function (a, b) { return a.title.localeCompare(b.title, "fr"); });
        return {guides: kept};
    });
}

function answer(data) {
    if (data.action === "list") return list();
    var key = pageKey(data.url || "");
    if (!key) return Promise.resolve({kept: false});
    if (data.action === "keep") return keep(key, data);
    if (data.action === "remove") return remove(key);
    return readEntry(key).then(function (entry) { return {kept: Boolean(entry && entry.kept)}; });
}

/* Messages from site.js, each with a port for the answer. */
self.addEventListener("message", function (event) {
    var port = event.ports && event.ports[0];
    if (!port || !event.data) return;
    event.waitUntil(answer(event.data).then(function (result) {
        port.postMessage(result);
    }, function () {
        port.postMessage({kept: false, error: true});
    }));
});
