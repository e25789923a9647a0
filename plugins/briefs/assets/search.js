// Briefs search: a dialog over Pagefind's search API, opened from the header.
// Results show title, date and summary; the reader's language is searched
// unless "all languages" is ticked. No request leaves the site.
//
// Each language's index comes in shards, one per quarter (pagefind/en/2026-04/,
// named by its first month), listed newest first with their page counts in
// pagefind/shards.json. A search reads the newest quarter first and earlier
// ones only while it needs more results, so a reader's first query downloads a
// quarter's index, not the archive's.
(() => {
  "use strict";
  const dialog = document.querySelector("dialog.brief-search");
  const opener = document.querySelector(".brief-search-open");
  if (!dialog || !opener) return;

  const input = dialog.querySelector(".brief-search__input");
  const all = dialog.querySelector(".brief-search-all");
  const newest = dialog.querySelector(".brief-search-newest");
  const topic = dialog.querySelector(".brief-search-topic");
  const status = dialog.querySelector(".brief-search__status");
  const list = dialog.querySelector(".brief-search__results");
  const more = dialog.querySelector(".brief-search__more");
  const text = dialog.dataset;
  const lang = document.documentElement.lang;
  const bundles = new URL(text.bundles, document.baseURI).href;
  const others = text.languages.split(",").filter((code) => code && code !== lang);
  const PAGE = 5; // results shown at a time (each loads one fragment of about 2 kB)
  const numbers = new Intl.NumberFormat(lang);
  const months = new Intl.DateTimeFormat(lang, { month: "long", year: "numeric", timeZone: "UTC" });
  const escape = (value) => String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const dated = (shard) => /^\d{4}-\d{2}$/.test(shard.name); // a quarter, not "site"
  const fill = (template, values) => template.replace(/\{(\w+)\}/g, (_, key) => values[key] ?? "");

  let shardList = null;
  let pagefind = null;
  const engines = new Map();
  let current = null; // the search on screen: {term, engine, results, shown}
  let ticket = 0; // each search or option change takes a ticket; stale ones stop
  let timer = 0;

  function loadShards() {
    shardList ??= fetch(`${bundles}shards.json`).then((response) => response.json());
    return shardList;
  }

  // Sorted by date, Pagefind scores a result by its place in its shard's date
  // order (1 for the oldest). Each shard's weight is above every score of the
  // shards before it, so newer shards come first and each stays in order.
  function weights(shards) {
    const sizes = {};
    for (const { name, count } of shards) sizes[name] = Math.max(sizes[name] || 0, count);
    const weight = {};
    let next = 1;
    for (const name of Object.keys(sizes).sort()) {
      weight[name] = next;
      next *= sizes[name] + 1;
    }
    return weight;
  }

  // An engine is one Pagefind instance for a choice of languages and order; it
  // starts with the newest quarter's shards (one per language) and takes in
  // earlier quarters as a search needs them.
  async function makeEngine(codes, byDate) {
    const found = await loadShards();
    const shards = codes.flatMap((code) => (found[code] || []).map(([name, count]) => ({ code, name, count })));
    if (!shards.length) return null;
    const weight = weights(shards);
    // Quarters newest first; a language without briefs has one shard of its
    // site pages ("site"), read with the newest quarter.
    const names = [...new Set(shards.filter(dated).map((shard) => shard.name))].sort().reverse();
    const tiers = names.length ? names.map((name) => shards.filter((shard) => shard.name === name)) : [[]];
    tiers[0] = [...shards.filter((shard) => !dated(shard)), ...tiers[0]];
    const path = (shard) => `${bundles}${shard.code}/${shard.name}/`;
    const options = (shard) => ({ indexWeight: byDate ? weight[shard.name] : 1 });
    // Pagefind reads queries with its first index's language (stemming): the reader's.
    const first = tiers[0].find((shard) => shard.code === lang) || tiers[0][0];
    const rest = tiers[0].filter((shard) => shard !== first);
    pagefind ??= import(`${path(first)}pagefind.js`);
    const module = await pagefind;
    const instance = module.createInstance({ basePath: path(first), ...options(first) });
    const engine = { instance, tiers, loaded: 1, byDate, growing: null };
    engine.merge = (tier) => Promise.all(tier.map((shard) => instance.mergeIndex(path(shard), options(shard))));
    await engine.merge(rest);
    return engine;
  }

  function engine() {
    const codes = [lang, ...(all.checked ? others : [])];
    const key = `${codes.join(",")}|${newest.checked}`;
    if (!engines.has(key)) {
      // A failed load (the network, say) is tried again by the next search.
      engines.set(key, makeEngine(codes, newest.checked).catch((error) => {
        engines.delete(key);
        throw error;
      }));
    }
    return engines.get(key);
  }

  // Earlier quarters, as many again as are read (1, 2, 4, …): a word found in
  // one old brief takes a few round trips, not one per quarter. Callers that saw
  // the same number of quarters share one load.
  function grow(engine, seen) {
    if (engine.loaded !== seen) return Promise.resolve();
    engine.growing ??= (async () => {
      const next = engine.tiers.slice(engine.loaded, engine.loaded * 2);
      await engine.merge(next.flat());
      engine.loaded += next.length;
      engine.growing = null;
    })();
    return engine.growing;
  }

  async function find(engine, term) {
    const options = {};
    if (engine.byDate) options.sort = { date: "desc" };
    if (topic.value) options.filters = { topic: [topic.value] };
    const found = await engine.instance.search(term, options);
    return found.results;
  }

  const complete = (search) => search.engine.loaded >= search.engine.tiers.length;
  const unseen = (search) => search.results.filter((result) => !search.shown.has(result.id));

  function describe(search) {
    const count = search.results.length;
    const values = { count: numbers.format(count), term: search.term };
    let message = fill(count === 0 ? text.none : count === 1 ? text.one : text.many, values);
    const oldest = search.engine.tiers[search.engine.loaded - 1].find(dated);
    const [year, month] = oldest ? oldest.name.split("-").map(Number) : [];
    if (!complete(search) && month) {
      message += ` ${fill(text.since, { date: months.format(new Date(Date.UTC(year, month - 1, 1))) })}`;
    }
    status.textContent = message;
    more.hidden = complete(search) && unseen(search).length === 0;
    list.setAttribute("aria-busy", "false");
  }

  // Shows the next page of results, reading earlier quarters while there are too few.
  async function showMore(search, mine) {
    while (unseen(search).length < PAGE && !complete(search)) {
      await grow(search.engine, search.engine.loaded);
      if (mine !== ticket) return;
      search.results = await find(search.engine, search.term);
      if (mine !== ticket) return;
    }
    const batch = unseen(search).slice(0, PAGE);
    const pages = await Promise.all(batch.map((result) => result.data()));
    if (mine !== ticket) return;
    for (const [index, page] of pages.entries()) {
      search.shown.add(batch[index].id);
      list.append(item(page));
    }
    describe(search);
  }

  function item(page) {
    const li = document.createElement("li");
    li.className = "brief-search__result";
    const date = page.meta.date ? `<time>${escape(page.meta.date)}</time> · ` : "";
    li.innerHTML =
      `<a class="brief-search__result-link" href="${escape(page.url)}">${escape(page.meta.title || page.url)}</a>` +
      `<p class="brief-search__result-excerpt">${date}${escape(page.meta.summary || "")}</p>`;
    return li;
  }

  async function search() {
    const mine = ++ticket;
    const term = input.value.trim();
    list.setAttribute("aria-busy", "true");
    if (!term) {
      current = null;
      list.replaceChildren();
      status.textContent = "";
      more.hidden = true;
      list.setAttribute("aria-busy", "false");
      return;
    }
    status.textContent = text.searching;
    try {
      const chosen = await engine();
      if (mine !== ticket) return;
      if (!chosen) {
        status.textContent = fill(text.none, { term });
        list.setAttribute("aria-busy", "false");
        return;
      }
      const found = { term, engine: chosen, results: await find(chosen, term), shown: new Set() };
      if (mine !== ticket) return;
      current = found;
      list.replaceChildren();
      await showMore(found, mine);
    } catch (error) {
      if (mine !== ticket) return;
      console.error(error);
      status.textContent = text.failed;
      list.setAttribute("aria-busy", "false");
    }
  }

  function open() {
    if (!dialog.open) dialog.showModal();
    input.focus();
    engine().catch(() => {}); // loads the newest quarter's index while the reader types; search() reports failures
  }

  opener.addEventListener("click", open);
  dialog.querySelector(".brief-search-close").addEventListener("click", () => dialog.close());
  dialog.addEventListener("click", (event) => { if (event.target === dialog) dialog.close(); });
  input.addEventListener("input", () => {
    list.setAttribute("aria-busy", "true");
    clearTimeout(timer);
    timer = setTimeout(search, 200);
  });
  input.addEventListener("keydown", (event) => { if (event.key === "Enter") { clearTimeout(timer); search(); } });
  for (const option of [all, newest, topic]) option.addEventListener("change", search);
  more.addEventListener("click", async () => {
    if (!current || more.disabled) return;
    const mine = ticket;
    more.disabled = true; // one page at a time
    list.setAttribute("aria-busy", "true");
    const first = list.children.length;
    try {
      await showMore(current, mine);
      list.children[first]?.querySelector("a")?.focus(); // keyboard readers go on where the new results start
    } catch (error) {
      console.error(error);
      if (mine === ticket) {
        status.textContent = text.failed;
        list.setAttribute("aria-busy", "false");
      }
    } finally {
      more.disabled = false;
    }
  });

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
    const items = [input, ...list.querySelectorAll(".brief-search__result-link")];
    const index = items.indexOf(document.activeElement);
    if (index === -1) return;
    event.preventDefault();
    const next = event.key === "ArrowDown" ? Math.min(index + 1, items.length - 1) : Math.max(index - 1, 0);
    items[next].focus();
  });
})();
