// Wagtail's rich text editor (Draftail) draws a text box without an accessible name: its field's label
// points at the hidden input that keeps the text. Each editor, once drawn, is named by that label
// (RGAA 11.1).
(function () {
    "use strict";

    function nameEditors() {
        document.querySelectorAll(".public-DraftEditor-content[role=textbox]:not([aria-labelledby])").forEach((editor) => {
            const input = editor.closest(".w-field__input")?.querySelector("input[type=hidden][id]");
            const label = input && document.querySelector(`label[for="${input.id}"]`);
            if (!label) return;
            if (!label.id) label.id = `${input.id}-libelle`;
            editor.setAttribute("aria-labelledby", label.id);
        });
    }

    new MutationObserver(nameEditors).observe(document.documentElement, { childList: true, subtree: true });
    nameEditors();
})();
