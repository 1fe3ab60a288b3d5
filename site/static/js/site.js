/* Pas à pas: progressive enhancement of the public pages. No framework, no cookie.
 * Everything here is optional: without JavaScript the pages are complete, the browser's
 * zoom enlarges the text and the controls below stay hidden.
 * - Text size (A- / A+): sets the CSS variable --text-scale (site.css), remembered in
 *   localStorage; base.html applies the stored value before the first paint.
 * - « Lire à voix haute »: reads a guide step, or the whole guide, with the browser's
 *   speech synthesis in French; the buttons are shown only where it exists.
 * - Printing: loads lazy images first, so a printed guide has all its pictures.
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
        });
    }

    setupTextSize();
    setupReadAloud();
    setupPrint();
})();
