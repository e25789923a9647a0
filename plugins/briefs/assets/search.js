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
  // Each language's index comes in shards, one per year (pagefind/en/2026/, …),
  // listed newest first with their page counts in pagefind/shards.json.
  const bundles = new URL(mount.dataset.bundles, document.baseURI).href;
  const others = mount.dataset.languages.split(",").filter((code) => code && code !== lang);
  const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  let shardList = null;
  let ui = null;
  let made = 0;

  function loadShards() {
    shardList ??= fetch(`${bundles}shards.json`).then((response) => response.json());
    return shardList;
  }

  // Sorted by date, Pagefind scores a result by its place in its shard's date
  // order (1 for the oldest). Each year's weight is above every score of the
  // years before it, so newer years come first and each year stays in order.
  function weights(shards) {
    const years = {};
    for (const [name, count] of shards) years[name] = Math.max(years[name] || 0, count);
    const weight = {};
    let next = 1;
    for (const name of Object.keys(years).sort()) {
      weight[name] = next;
      next *= years[name] + 1;
    }
    return weight;
  }

  async function create() {
    const ticket = ++made;
    const list = await loadShards();
    if (ticket !== made) return; // a newer call won
    const query = mount.querySelector("input")?.value || "";
    const languages = [lang, ...(all.checked ? others : [])];
    const shards = languages.flatMap((code) => (list[code] || []).map(([name, count]) => ({ code, name, count })));
    if (!shards.length) return;
    const weight = weights(shards.map((shard) => [shard.name, shard.count]));
    const options = (shard) => ({
      bundlePath: `${bundles}${shard.code}/${shard.name}/`,
      indexWeight: newest.checked ? weight[shard.name] : 1,
    });
    const [primary, ...rest] = shards.map(options);
    if (ui) ui.destroy();
    mount.innerHTML = "";
    ui = new PagefindUI({
      element: mount,
      bundlePath: primary.bundlePath,
      indexWeight: primary.indexWeight,
      showImages: false,
      showSubResults: false,
      resetStyles: false,
      autofocus: true,
      sort: newest.checked ? { date: "desc" } : undefined,
      mergeIndex: rest,
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
    if (!ui && !mount.querySelector("input")) {
      // Until the shard list is in, a plain field takes what the reader types;
      // create() hands its text to Pagefind's own field.
      const field = document.createElement("input");
      field.type = "search";
      field.className = "brief-search__provisional";
      field.placeholder = mount.dataset.placeholder;
      field.setAttribute("aria-label", mount.dataset.placeholder);
      mount.append(field);
      create();
    }
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
