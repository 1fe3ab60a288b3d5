/* Pas à pas: progressive enhancement of the public pages. No framework, no cookie.
 * Everything here is optional: without JavaScript the pages are complete, the browser's
 * zoom enlarges the text and the controls below stay hidden.
 * - Text size (A- / A+): sets the CSS variable --text-scale (site.css), remembered in
 *   localStorage; base.html applies the stored value before the first paint.
 * - « Lire à voix haute »: reads a guide step, or the whole guide, with the browser's
 *   speech synthesis in French; the buttons are shown only where it exists.
 * - Printing: the « Imprimer » buttons open the browser's print dialog; before printing,
 *   lazy images are loaded (a printed guide has all its pictures) and listed links get
 *   their address written after them (print.css).
 * - Offline: registers the service worker (/sw.js, home/service_worker.js); on a guide,
 *   asks it to keep the guide and shows « Disponible hors connexion » with a button to
 *   keep or remove it; on the offline page, lists the guides kept on this device.
 */
(function () {
    "use strict";

    var STORAGE_KEY = "pasapas-text-scale";
    var SCALES = [0.9, 1, 1.15, 1.3, 1.5, 1.75, 2];
    var root = document.documentElement;

    function currentScale() {
        var value = parseFloat(getComputedStyle(root).getPropertyValue("--text-scale"));
        return isNaN(value) ? 1 : value;
    }

    function nearestIndex(value) {
        var best = 0;
        for (var i = 1; i < SCALES.length; i++) {
            if (Math.abs(SCALES[i] - value) < Math.abs(SCALES[best] - value)) best = i;
        }
        return best;
    }

    function setupTextSize() {
        var box = document.querySelector("[data-text-size]");
        if (!box) return;
        var output = box.querySelector("[data-text-size-value]");
        var show = function (value) {
            if (output) output.textContent = Math.round(value * 100) + " %";
        };
        box.addEventListener("click", function (event) {
            var button = event.target.closest("[data-text-size-step]");
            if (!button) return;
            var step = parseInt(button.getAttribute("data-text-size-step"), 10) || 0;
            var index = Math.min(SCALES.length - 1, Math.max(0, nearestIndex(currentScale()) + step));
            var value = SCALES[index];
            root.style.setProperty("--text-scale", String(value));
            try { localStorage.setItem(STORAGE_KEY, String(value)); } catch (e) { /* private mode */ }
            show(value);
        });
        show(currentScale());
        box.hidden = false;
    }

    var BLOCKS = "h1, h2, h3, h4, p, li, dt, dd";

    /* The text of a section, block by block, without buttons and controls. */
    function textsOf(section) {
        var texts = [];
        var blocks = section.querySelectorAll(BLOCKS);
        for (var i = 0; i < blocks.length; i++) {
            var block = blocks[i];
            if (block.querySelector(BLOCKS) || block.closest("[data-read-skip], button, [hidden]")) continue;
            var text = block.textContent.replace(/\s+/g, " ").trim();
            if (text) texts.push(/[.!?:;…]$/.test(text) ? text : text + ".");
        }
        return texts;
    }

    function setupReadAloud() {
        var buttons = document.querySelectorAll("[data-read-aloud]");
        if (!buttons.length) return;
        if (!("speechSynthesis" in window) || typeof window.SpeechSynthesisUtterance !== "function") return;
        var synth = window.speechSynthesis;
        var frenchVoice = null;
        var generation = 0;
        var active = null;

        function pickVoice() {
            var voices = synth.getVoices() || [];
            for (var i = 0; i < voices.length; i++) {
                if (/^fr([-_]|$)/i.test(voices[i].lang)) { frenchVoice = voices[i]; return; }
            }
        }
        pickVoice();
        if (typeof synth.addEventListener === "function") synth.addEventListener("voiceschanged", pickVoice);

        function reset() {
            if (!active) return;
            active.textContent = active.getAttribute("data-label");
            active.removeAttribute("data-reading");
            active = null;
        }

        function stop() {
            generation++;
            synth.cancel();
            reset();
        }

        function read(button, texts) {
            stop();
            if (!texts.length) return;
            var mine = generation;
            active = button;
            button.setAttribute("data-reading", "true");
            button.textContent = button.getAttribute("data-stop-label");
            texts.forEach(function (text, index) {
                var utterance = new SpeechSynthesisUtterance(text);
                utterance.lang = "fr-FR";
                utterance.rate = 0.9;
                if (frenchVoice) utterance.voice = frenchVoice;
                if (index === texts.length - 1) {
                    utterance.onend = utterance.onerror = function () {
                        if (mine === generation) reset();
                    };
                }
                synth.speak(utterance);
            });
        }

        Array.prototype.forEach.call(buttons, function (button) {
            button.setAttribute("data-label", button.textContent.trim());
            button.addEventListener("click", function () {
                if (active === button) { stop(); return; }
                var texts = [];
                if (button.getAttribute("data-read-aloud") === "all") {
                    var scope = button.closest("[data-read-root]") || document.querySelector("main");
                    scope.querySelectorAll("[data-read-section]").forEach(function (section) {
                        texts = texts.concat(textsOf(section));
                    });
                } else {
                    texts = textsOf(button.closest("[data-read-section]") || button.parentNode);
                }
                read(button, texts);
            });
            button.hidden = false;
        });
        document.querySelectorAll("[data-read-aloud-all]").forEach(function (element) {
            element.hidden = false;
        });
        window.addEventListener("pagehide", stop);
    }

    function setupPrint() {
        window.addEventListener("beforeprint", function () {
            document.querySelectorAll('img[loading="lazy"]').forEach(function (img) {
                img.loading = "eager";
            });
            document.querySelectorAll("[data-print-links] a[href], .rich-text a[href]").forEach(function (link) {
                if (link.getAttribute("href").charAt(0) !== "#") link.setAttribute("data-print-url", link.href);
            });
        });
        if (typeof window.print !== "function") return;
        document.querySelectorAll("[data-print]").forEach(function (button) {
            button.addEventListener("click", function () { window.print(); });
            button.closest("[data-print-tool]").hidden = false;
        });
    }

    /* A question to the service worker; the answer comes back on a port of its own. */
    function askWorker(message) {
        return navigator.serviceWorker.ready.then(function (registration) {
            return new Promise(function (resolve) {
                var channel = new MessageChannel();
                channel.port1.onmessage = function (event) { resolve(event.data || {}); };
                registration.active.postMessage(message, [channel.port2]);
            });
        });
    }

    /* The guide's pictures, all loaded (the browser picks each size, as it will offline). */
    function loadPictures(images) {
        return Promise.all(images.map(function (img) {
            img.loading = "eager";
            if (img.complete) return null;
            return new Promise(function (resolve) {
                img.addEventListener("load", resolve, {once: true});
                img.addEventListener("error", resolve, {once: true});
            });
        }));
    }

    function pageFiles(images) {
        var files = [];
        document.querySelectorAll('link[rel~="stylesheet"], link[rel~="icon"]').forEach(function (link) {
            files.push(link.href);
        });
        document.querySelectorAll("script[src]").forEach(function (script) { files.push(script.src); });
        images.forEach(function (img) { if (img.currentSrc || img.src) files.push(img.currentSrc || img.src); });
        return files;
    }

    function setupOfflineGuide() {
        var box = document.querySelector("[data-offline]");
        if (!box) return;
        var button = box.querySelector("[data-offline-toggle]");
        var status = box.querySelector("[data-offline-status]");
        var title = (document.querySelector("h1") || {}).textContent || document.title;
        var kept = false;
        var busy = false;

        function show(answer, message) {
            kept = Boolean(answer.kept);
            box.querySelector("[data-offline-kept]").hidden = !kept;
            box.querySelector("[data-offline-not-kept]").hidden = kept;
            button.textContent = button.getAttribute(kept ? "data-remove-label" : "data-keep-label");
            if (message) status.textContent = box.getAttribute(message);
            box.hidden = false;
        }

        function keep(auto) {
            var images = Array.prototype.slice.call(document.querySelectorAll("main img"));
            return loadPictures(images).then(function () {
                return askWorker({action: "keep", url: location.href, title: title.trim(), files: pageFiles(images), auto: auto});
            });
        }

        button.addEventListener("click", function () {
            if (busy) return;
            busy = true;
            var wanted = !kept;
            status.textContent = wanted ? box.getAttribute("data-saving") : "";
            (wanted ? keep(false) : askWorker({action: "remove", url: location.href})).then(function (answer) {
                busy = false;
                show(answer, wanted ? (answer.kept ? "data-kept" : "data-failed") : "data-removed");
            });
        });
        askWorker({action: "status", url: location.href}).then(function (answer) {
            show(answer);
            // Every visit refreshes the copy (a republished guide reaches it); not on a
            // connection the person asked to spare (Save-Data), where the button still works.
            var saveData = navigator.connection && navigator.connection.saveData;
            if (!saveData) keep(true).then(function (fresh) { show(fresh); });
        });
    }

    function setupOfflineList() {
        var list = document.querySelector("[data-offline-list]");
        if (!list) return;
        var retry = document.querySelector("[data-offline-retry]");
        retry.hidden = false;
        retry.addEventListener("click", function () { location.reload(); });
        askWorker({action: "list"}).then(function (answer) {
            (answer.guides || []).forEach(function (guide) {
                var item = document.createElement("li");
                var link = document.createElement("a");
                link.href = guide.url;
                link.textContent = guide.title || guide.url;
                item.appendChild(link);
                list.appendChild(item);
            });
            list.hidden = !list.children.length;
            document.querySelector("[data-offline-empty]").hidden = !list.hidden;
        });
    }

    function setupOffline() {
        if (!("serviceWorker" in navigator) || !window.isSecureContext) return;
        navigator.serviceWorker.register("/sw.js", {scope: "/"}).catch(function () { /* the site works without */ });
        setupOfflineGuide();
        setupOfflineList();
    }

    setupTextSize();
    setupReadAloud();
    setupPrint();
    setupOffline();
})();
