// Briefs search: Pagefind's UI in a dialog opened from the header.
// Results show title, date and summary; the reader's language is searched
// unless "all languages" is ticked. No request leaves the site.
(() => {
  "use strict";
  const dialog = document.querySelector("dialog.brief-search");
  const opener = document.querySelector(".brief-search-open");
  if (!dialog || !opener || typeof PagefindUI === "undefined") return;

  const mount = dialog.querySelector(".brief-search__ui");
  const all = dialog.querySelector(".brief-search-all");
  const newest = dialog.querySelector(".brief-search-newest");
  const lang = document.documentElement.lang;
  // One Pagefind bundle per language: pagefind/en/, pagefind/de/, …
  const bundles = new URL(mount.dataset.bundles, document.baseURI).href;
  const bundle = `${bundles}${lang}/`;
  const others = mount.dataset.languages.split(",").filter((code) => code && code !== lang);
  const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  let ui = null;

  function create() {
    const query = mount.querySelector("input")?.value || "";
    if (ui) ui.destroy();
    mount.innerHTML = "";
    ui = new PagefindUI({
      element: mount,
      bundlePath: bundle,
      showImages: false,
      showSubResults: false,
      resetStyles: false,
      autofocus: true,
      sort: newest.checked ? { date: "desc" } : undefined,
      mergeIndex: all.checked ? others.map((code) => ({ bundlePath: `${bundles}${code}/` })) : [],
      translations: { placeholder: mount.dataset.placeholder },
      // The summary, not an excerpt: search also indexes spellings readers never see.
      processResult: (result) => {
        const date = result.meta.date ? `<time>${escape(result.meta.date)}</time> · ` : "";
        result.excerpt = date + escape(result.meta.summary || "");
        // Shown above already; Pagefind would repeat them as tags.
        delete result.meta.date;
        delete result.meta.summary;
        return result;
      },
    });
    if (query) ui.triggerSearch(query);
  }

  function open() {
    if (!dialog.open) dialog.showModal();
    if (!ui) create();
    mount.querySelector("input")?.focus();
  }

  opener.addEventListener("click", open);
  dialog.querySelector(".brief-search-close").addEventListener("click", () => dialog.close());
  dialog.addEventListener("click", (event) => { if (event.target === dialog) dialog.close(); });
  all.addEventListener("change", create);
  newest.addEventListener("change", create);

  document.addEventListener("keydown", (event) => {
    const target = event.target;
    const typing = target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    if (!dialog.open && !typing && !event.ctrlKey && !event.metaKey && !event.altKey && (event.key === "/" || event.key === "s")) {
      event.preventDefault();
      open();
    }
  });

  // Arrow keys move between the search field and the results.
  dialog.addEventListener("keydown", (event) => {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    const items = [mount.querySelector("input"), ...mount.querySelectorAll(".pagefind-ui__result-link")].filter(Boolean);
    const index = items.indexOf(document.activeElement);
    if (index === -1) return;
    event.preventDefault();
    const next = event.key === "ArrowDown" ? Math.min(index + 1, items.length - 1) : Math.max(index - 1, 0);
    items[next].focus();
  });
})();
