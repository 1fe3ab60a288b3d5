// Wagtail's rich-text editor (Draftail) is a contenteditable box with role="textbox" but
// no accessible name: the field's <label> points at a hidden input, so a screen reader
// announces « zone de texte » without saying which one (axe: aria-input-field-name).
// This names each box after its field's label, for the boxes present at load and those
// added later (a new step of a guide).
(function () {
    "use strict";
    var counter = 0;

    function fieldLabel(box) {
        var wrapper = box.closest("[data-field-wrapper], .w-field__wrapper, .w-field");
        if (!wrapper) {
            return null;
        }
        var input = wrapper.querySelector("input[type=hidden][id]");
        var label = input && document.querySelector('label[for="' + input.id + '"]');
        return label || wrapper.querySelector("label, .w-field__label");
    }

    function name(box) {
        if (box.hasAttribute("aria-labelledby") || box.hasAttribute("aria-label")) {
            return;
        }
        var label = fieldLabel(box);
        if (!label) {
            return;
        }
        if (!label.id) {
            counter += 1;
            label.id = "pap-rich-text-label-" + counter;
        }
        box.setAttribute("aria-labelledby", label.id);
    }

    function nameAll() {
        document.querySelectorAll('[contenteditable="true"][role="textbox"]').forEach(name);
    }

    function start() {
        nameAll();
        new MutationObserver(nameAll).observe(document.body, {
            childList: true,
            subtree: true,
            attributes: true,
            attributeFilter: ["aria-labelledby", "aria-label"],
        });
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
})();
