// Layout problems of the page as laid out now (tests_browser/pagecheck.py): a list of sentences.
() => {
  const problems = [];
  const describe = (el) => {
    let name = el.tagName.toLowerCase();
    if (el.id) name += '#' + el.id;
    else if (el.classList.length) name += '.' + [...el.classList].slice(0, 2).join('.');
    return name;
  };
  const doc = document.documentElement;
  if (doc.scrollWidth > window.innerWidth + 1)
    problems.push(`page scrolls sideways: ${doc.scrollWidth}px in a ${window.innerWidth}px window`);
  const content = document.querySelector('#content') || document.body;
  const boxes = [content, ...content.querySelectorAll('.results, .module, .tabular, fieldset, .plan-page')];
  for (const el of boxes) {
    // A box that scrolls or clips hides part of its content; one that lets it show is checked
    // by the page's own width above and the tables' edges below.
    if (!['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(el).overflowX)) continue;
    if (el.scrollWidth > el.clientWidth + 1)
      problems.push(`${describe(el)} scrolls sideways: ${el.scrollWidth}px in ${el.clientWidth}px`);
  }
  const right = content.getBoundingClientRect().right;
  for (const table of content.querySelectorAll('table')) {
    const box = table.getBoundingClientRect();
    if (box.width && box.right > right + 1)
      problems.push(`table ${describe(table.parentElement)} > ${describe(table)} ends at ${Math.round(box.right)}px, content at ${Math.round(right)}px`);
  }
  for (const cell of content.querySelectorAll('td, th')) {
    const text = cell.innerText.trim().replace(/\s+/g, ' ');
    if (text.length < 2 || cell.querySelector('input, select, textarea, table')) continue;
    if (!cell.getBoundingClientRect().height) continue;
    // Rows stretch every cell to the tallest one: count the lines of the text itself.
    const tops = [];
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const rect of range.getClientRects()) {
        if (rect.width > 0 && !tops.some(top => Math.abs(top - rect.top) < rect.height / 2)) tops.push(rect.top);
      }
    }
    if (tops.length > 2 && text.length / tops.length < 3)
      problems.push(`cell "${text.slice(0, 30)}" wraps to ${tops.length} lines (${text.length} characters)`);
  }
  // Text that cannot be read against its background (e.g. a link coloured like its bar).
  const rgb = (value) => (value.match(/[\d.]+/g) || []).map(Number);
  const luminance = ([r, g, b]) => {
    const channel = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  const background = (el) => {
    for (; el; el = el.parentElement) {
      const color = rgb(getComputedStyle(el).backgroundColor);
      if (color.length >= 3 && (color.length < 4 || color[3] > 0.5)) return color;
    }
    return [255, 255, 255];
  };
  for (const el of content.querySelectorAll('h1, h2, h3, caption, th, a')) {
    const text = el.innerText.trim();
    if (!text || !el.getClientRects().length) continue;
    const fg = luminance(rgb(getComputedStyle(el).color));
    const bg = luminance(background(el));
    const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
    if (ratio < 3) problems.push(`"${text.slice(0, 30)}" is hard to read (contrast ${ratio.toFixed(1)}:1)`);
  }
  return problems;
}
