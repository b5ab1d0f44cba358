() => {
  // An element may be wider than its container only inside a region that scrolls on purpose:
  // focusable (tabindex="0") and named, as the tables' `fr-table__container`.
  const scrollRegion = (el) => {
    for (let a = el; a; a = a.parentElement) {
      if (a.getAttribute("tabindex") === "0" && a.getAttribute("aria-label")
          && /(auto|scroll)/.test(getComputedStyle(a).overflowX)) return a;
    }
    return null;
  };
  const describe = (el) => {
    const id = el.id ? `#${el.id}` : "";
    const cls = typeof el.className === "string" && el.className ? `.${el.className.trim().split(/\s+/).join(".")}` : "";
    const text = (el.textContent || "").trim().replace(/\s+/g, " ").slice(0, 40);
    return `${el.tagName.toLowerCase()}${id}${cls} «${text}»`;
  };
  const wide = [];
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth + 1) wide.push(`page ${root.scrollWidth} > ${root.clientWidth}`);
  for (const el of document.body.querySelectorAll("*")) {
    const style = getComputedStyle(el);
    if (["absolute", "fixed"].includes(style.position) || !el.getClientRects().length) continue;
    if (style.display === "inline" || scrollRegion(el.parentElement)) continue;
    const parent = el.parentElement;
    // Its own box within its container's (DSFR grids and button groups have negative margins
    // by design, within their container's padding).
    const box = el.getBoundingClientRect();
    const outer = parent.getBoundingClientRect();
    const left = outer.left + parent.clientLeft;
    const right = left + parent.clientWidth;
    if (parent.clientWidth && (box.right + parseFloat(style.marginRight) > right + 1
        || box.left - parseFloat(style.marginLeft) < left - 1)) {
      wide.push(`${describe(el)} [${Math.round(box.left)}, ${Math.round(box.right)}] out of ${describe(parent)} [${Math.round(left)}, ${Math.round(right)}]`);
    }
    // Its text: a word or a line that does not wrap.
    if (style.overflowX === "visible" && !scrollRegion(el) && [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())
        && el.scrollWidth > el.clientWidth + 1 && el.clientWidth) {
      wide.push(`text of ${describe(el)} ${el.scrollWidth} > ${el.clientWidth}`);
    }
  }
  return wide;
}
