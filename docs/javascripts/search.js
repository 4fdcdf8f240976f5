// Paper search: finds papers in search/papers.json and lists them above Material's own results.
//
// Material's search index leaves paper pages out (with a page per paper it would be 10 MB at 10,000
// papers); this script loads the compact paper index on the first query and ranks papers by what a
// reader types: an arXiv id or DOI (also as a link), a short name, an author's full name, words of
// the title. Results are built with DOM APIs and textContent only: record text is never parsed as HTML.
(() => {
  "use strict";

  const SHOWN = 8; // papers listed per query
  const QUERY = "[data-md-component=search-query]";
  const RESULT = "[data-md-component=search-result]";
  const script = document.currentScript;
  const siteRoot = new URL("../", script ? script.src : location.href);
  let catalogue = null; // Promise of the prepared papers

  function fold(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function words(text) {
    return fold(text).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }

  // An arXiv id or DOI as a reader may paste it: bare, prefixed or as a link, arXiv with a version.
  function identifier(text) {
    return fold(text.trim())
      .replace(/^https?:\/\/(www\.)?(arxiv\.org\/(abs|pdf)\/|(dx\.)?doi\.org\/)/, "")
      .replace(/^(arxiv|doi):\s*/, "")
      .replace(/\.pdf$/, "")
      .replace(/^(\d{4}\.\d{4,5})v\d+$/, "$1");
  }

  function load() {
    if (!catalogue) {
      catalogue = fetch(new URL("search/papers.json", siteRoot))
        .then((response) => {
          if (!response.ok) throw new Error(`HTTP ${response.status}`);
          return response.json();
        })
        .then(prepare)
        .catch((error) => {
          catalogue = null;
          throw error;
        });
    }
    return catalogue;
  }

  function prepare(data) {
    const at = Object.fromEntries(data.fields.map((name, position) => [name, position]));
    const venues = data.venues || [];
    return data.papers.map((row) => {
      const value = (name) => (row[at[name]] === undefined ? "" : row[at[name]]);
      const authors = value("authors") ? String(value("authors")).split("; ") : [];
      const title = String(value("title"));
      const extra = [value("short_name"), value("listed_as")].filter(Boolean).map(String);
      return {
        id: String(value("id")),
        title,
        authors,
        year: Number(value("year")) || null,
        venue: venues[Number(value("venue")) - 1] || "",
        arxiv: String(value("arxiv")),
        short: String(value("short_name")),
        keys: new Set([value("id"), value("arxiv"), value("doi")].filter(Boolean).map((key) => fold(key))),
        shortKey: fold(value("short_name")),
        shortWords: words(value("short_name")),
        titleKey: fold(title),
        titleWords: words([title, ...extra].join(" ")),
        authorKeys: authors.map((name) => words(name)),
      };
    });
  }

  // Ranking: an exact identifier, then the short name, the whole title, an author's full name, then
  // papers holding every word of the query (as word prefixes); newer papers first among equals.
  function score(paper, query, id, terms) {
    if (paper.keys.has(id)) return 1000;
    if (paper.shortKey && paper.shortKey === query) return 900;
    if (paper.titleKey === query) return 850;
    if (!terms.length) return 0;
    let best = 0;
    paper.authorKeys.forEach((name, position) => {
      if (terms.every((term) => name.includes(term))) best = Math.max(best, 700 - Math.min(position, 50));
    });
    let total = 0;
    for (const term of terms) {
      let points = 0;
      if (paper.shortWords.includes(term)) points = 30;
      else if (paper.titleWords.includes(term)) points = 10;
      else if (paper.titleWords.some((word) => word.startsWith(term))) points = 5;
      else if (paper.authorKeys.some((name) => name.includes(term))) points = 8;
      else if (paper.authorKeys.some((name) => name.some((word) => word.startsWith(term)))) points = 4;
      if (!points) return best;
      total += points;
    }
    return Math.max(best, 100 + total + (paper.titleKey.includes(query) ? 50 : 0));
  }

  function search(papers, text) {
    const query = words(text).join(" ");
    const terms = words(text);
    const id = identifier(text);
    if (!query && !id) return [];
    const found = [];
    for (const paper of papers) {
      const points = score(paper, query, id, terms);
      if (points) found.push({ paper, points });
    }
    found.sort((a, b) => b.points - a.points || (b.paper.year || 0) - (a.paper.year || 0) || (a.paper.id < b.paper.id ? -1 : 1));
    return found.map((hit) => hit.paper);
  }

  // Results, shaped like Material's own so that they look and take the keyboard alike.

  function element(tag, properties = {}, children = []) {
    const node = document.createElement(tag);
    Object.assign(node, properties);
    node.append(...children);
    return node;
  }

  function shortAuthors(authors) {
    if (!authors.length) return "";
    const last = authors[0].split(/\s+/).pop();
    return authors.length === 1 ? last : `${last} et al.`;
  }

  function resultItem(paper) {
    const facts = [shortAuthors(paper.authors), paper.year ? String(paper.year) : "", paper.venue, paper.arxiv ? `arXiv ${paper.arxiv}` : ""];
    const heading = element("h1", { textContent: paper.short && !paper.title.includes(paper.short) ? `${paper.short}: ${paper.title}` : paper.title });
    const snippet = element("p", { className: "kb-search-snippet", textContent: facts.filter(Boolean).join(" · ") });
    const article = element("article", { className: "md-search-result__article md-typeset" }, [heading, snippet]);
    const link = element("a", { className: "md-search-result__link", href: new URL(`papers/${paper.id}/`, siteRoot).href, tabIndex: -1 }, [article]);
    link.dataset.kbPaper = paper.id;
    return element("li", { className: "md-search-result__item" }, [link]);
  }

  function block(result) {
    let found = result.querySelector(".kb-search-papers");
    if (!found) {
      found = element("div", { className: "kb-search-papers" }, [
        element("div", { className: "md-search-result__meta kb-search-meta" }),
        element("ol", { className: "md-search-result__list" }),
      ]);
      found.hidden = true;
      result.prepend(found);
    }
    return found;
  }

  function show(result, text, hits) {
    const papers = block(result);
    papers.hidden = !hits.length;
    papers.dataset.query = text;
    const count = hits.length === 1 ? "1 matching paper" : `${hits.length} matching papers`;
    papers.querySelector(".kb-search-meta").textContent = hits.length > SHOWN ? `${count}, the first ${SHOWN} shown` : count;
    papers.querySelector("ol").replaceChildren(...hits.slice(0, SHOWN).map(resultItem));
  }

  function onQuery(input) {
    const result = document.querySelector(RESULT);
    if (!result) return;
    const text = input.value.slice(0, 200);
    if (!text.trim()) {
      show(result, "", []);
      return;
    }
    load().then(
      (papers) => {
        if (input.value.slice(0, 200) === text) show(result, text, search(papers, text));
      },
      () => show(result, text, []),
    );
  }

  document.addEventListener("focusin", (event) => {
    if (event.target.matches && event.target.matches(QUERY)) load().catch(() => {});
  });
  document.addEventListener("input", (event) => {
    if (event.target.matches && event.target.matches(QUERY)) onQuery(event.target);
  });
  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest(".kb-search-papers a");
    const toggle = document.querySelector("input[data-md-toggle=search]");
    if (link && toggle && toggle.checked) {
      toggle.checked = false;
      toggle.dispatchEvent(new Event("change"));
    }
  });
})();
