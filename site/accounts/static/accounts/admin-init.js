// Wagtail 8 still starts its date pickers, choosers and inline panels with inline <script>s,
// which the admin's Content-Security-Policy refuses ('unsafe-inline' stays out of
// script-src). accounts/templates/wagtailadmin/ overrides those templates to write a hidden
// <span data-pap-init="..."> instead; this file makes the same calls from a static file,
// once the page is parsed and for content added later (new inline forms, modals).
(function () {
    "use strict";
    var initialisers = {
        initDateChooser: function (node) {
            window.initDateChooser(node.dataset.papTarget, JSON.parse(node.dataset.papConfig));
        },
        initDateTimeChooser: function (node) {
            window.initDateTimeChooser(node.dataset.papTarget, JSON.parse(node.dataset.papConfig));
        },
        initTimeChooser: function (node) {
            window.initTimeChooser(node.dataset.papTarget, JSON.parse(node.dataset.papConfig));
        },
        InlinePanel: function (node) {
            new window.InlinePanel(JSON.parse(node.dataset.papOptions));
        },
        chooser: function (node) {
            var Chooser = window[node.dataset.papConstructor];
            new Chooser(node.dataset.papTarget, JSON.parse(node.dataset.papOptions));
        },
        MultipleChooserPanel: function (node) {
            new window.MultipleChooserPanel(JSON.parse(node.dataset.papOptions));
        },
    };

    function start(node) {
        if (node.dataset.papStarted) {
            return;
        }
        node.dataset.papStarted = "true";
        var initialise = initialisers[node.dataset.papInit];
        if (initialise) {
            initialise(node);
        }
    }

    function startAll(root) {
        if (root.nodeType !== 1 && root !== document) {
            return;
        }
        if (root.matches && root.matches("[data-pap-init]")) {
            start(root);
        }
        root.querySelectorAll("[data-pap-init]").forEach(start);
    }

    function ready() {
        startAll(document);
        new MutationObserver(function (mutations) {
            mutations.forEach(function (mutation) {
                mutation.addedNodes.forEach(startAll);
            });
        }).observe(document.body, { childList: true, subtree: true });
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", ready);
    } else {
        ready();
    }
})();
