// Wagtail's rich-text editor (Draftail) is a contenteditable box with role="textbox" but
// no accessible name: the field's <label> points at a hidden input, so a screen reader
// announces « zone de texte » without saying which one (axe: aria-input-field-name).
// This names each box after its field's label, for the boxes present at load and those
// added later (a new step of a guide).
(function () {
    "use strict";
    var counter = 0;

    // The label Wagtail wrote for the field: tied to the editor's hidden input (`for`, or
    // the `<id>-label` id), else the nearest field label up the tree (stream blocks).
    function fieldLabel(box) {
        var field = box.closest(".w-field");
        var input = field && field.querySelector("input[type=hidden][id]");
        if (input) {
            var tied =
                document.querySelector('label[for="' + input.id + '"]') ||
                document.getElementById(input.id + "-label");
            if (tied) {
                return tied;
            }
        }
        for (var node = box.parentElement; node && node !== document.body; node = node.parentElement) {
            var label = node.querySelector(".w-field__label, label");
            if (label) {
                return label;
            }
        }
        return null;
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
