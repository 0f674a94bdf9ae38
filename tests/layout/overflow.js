(strict) => {
  // strict: display equations must fit the column without scrolling (wide screens);
  // otherwise an equation, like a table, may scroll inside its own box.
  const article = document.querySelector('.bd-article') || document.querySelector('main');
  const limit = article.getBoundingClientRect().right + 1;
  const scrolls = e => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX);
  const describe = e => e.tagName.toLowerCase() + ' "' + (e.textContent || '').replace(/\s+/g, ' ').trim().slice(0, 50) + '"';
  const scrollBox = e => { for (let a = e; a && a !== article; a = a.parentElement) if (scrolls(a)) return a; return null; };
  const problems = [];
  const check = (e, kind) => {
    if (e.getClientRects().length === 0) return;           // not displayed (a collapsed cell)
    const wide = e.scrollWidth > e.clientWidth + 1 || e.getBoundingClientRect().right > limit;
    if (!wide) return;
    if (kind === 'code') return problems.push(`code does not wrap at the page width (${e.scrollWidth} > ${e.clientWidth} px): ${describe(e)}`);
    if (kind === 'equation' && strict) return problems.push(`equation wider than the column (${e.scrollWidth} > ${e.clientWidth} px): ${describe(e)}`);
    const box = scrollBox(e);
    if (!box) return problems.push(`${kind} overflows the page with no scroll box: ${describe(e)}`);
    if (box.getBoundingClientRect().right > limit) problems.push(`${kind}'s scroll box is wider than the page: ${describe(e)}`);
  };
  document.querySelectorAll('mjx-container[display="true"]').forEach(e => check(e, 'equation'));
  article.querySelectorAll('table').forEach(e => check(e, 'table'));
  article.querySelectorAll('pre').forEach(e => check(e, 'code'));
  // inline equations scroll in their own box (span.math), never clipped (the theme's hidden);
  // inline code breaks inside the column. Either may sit in a table that scrolls.
  const insideScrollingBox = e => { const box = scrollBox(e.parentElement);
    return box && box.getBoundingClientRect().right <= limit; };
  article.querySelectorAll('span.math').forEach(e => {
    if (e.getClientRects().length === 0) return;
    if (e.scrollWidth > e.clientWidth + 1 && !scrolls(e)) problems.push(`inline equation clipped: ${describe(e)}`);
    else if (e.getBoundingClientRect().right > limit && !insideScrollingBox(e)) {
      problems.push(`inline equation runs past the page: ${describe(e)}`);
    }
  });
  article.querySelectorAll(':not(pre) > code').forEach(e => {
    if (e.getClientRects().length && e.getBoundingClientRect().right > limit && !insideScrollingBox(e)) {
      problems.push(`inline code runs past the page: ${describe(e)}`);
    }
  });
  article.querySelectorAll('.nnmath-explorer .nnx-controls').forEach(e => {
    if (e.scrollWidth > e.clientWidth + 1) problems.push(`explorer controls wider than the figure: ${describe(e)}`);
  });
  const page = document.scrollingElement;
  if (page.scrollWidth > page.clientWidth + 1) {
    problems.push(`the page scrolls sideways by ${page.scrollWidth - page.clientWidth} px`);
  }
  return problems;
}
