// Run in a page by tests/test_browser.py: what a phone reader would see sideways or too small.
// `scroll` is the page's scroll width; `overflow` lists elements reaching past the right edge that no
// scrolling box holds; `small` lists text under 11 px in HTML (`html`) and, scaled as drawn, in SVG (`svg`).
() => {
  const width = document.documentElement.clientWidth;
  const scroller = (el) => { for (let a = el.parentElement; a; a = a.parentElement) { const o = getComputedStyle(a).overflowX; if (o === "auto" || o === "scroll" || o === "hidden") return a; } return null; };
  const visible = (el) => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el); return r.width > 0 && r.height > 0 && s.visibility !== "hidden" && s.display !== "none"; };
  const inside = (el) => el.closest(".md-sidebar, .md-search, .md-header__topic, [hidden], .md-tooltip, .md-dialog, .md-overlay");
  const overflow = [];
  for (const el of document.querySelectorAll(".md-main *, .md-header *, .md-footer *")) {
    if (!visible(el) || inside(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.right > width + 1 && !scroller(el)) overflow.push(el.tagName + "." + el.className + " " + Math.round(r.right));
  }
  const small = { html: [], svg: [] };
  const walker = document.createTreeWalker(document.querySelector(".md-main"), NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.textContent.trim()) continue;
    const el = n.parentElement;
    if (!visible(el) || inside(el)) continue;
    let size = parseFloat(getComputedStyle(el).fontSize);
    if (el instanceof SVGElement) { const m = el.getScreenCTM(); size *= m ? Math.hypot(m.a, m.b) : 1; }
    if (size < 11) (el instanceof SVGElement ? small.svg : small.html).push(`${el.tagName}.${el.getAttribute("class") || ""} ${size.toFixed(1)} "${n.textContent.trim().slice(0, 30)}"`);
  }
  return { scroll: document.documentElement.scrollWidth, width, overflow, html: [...new Set(small.html)], svg: [...new Set(small.svg)] };
}
