// Equations and network diagrams that scroll sideways (a narrow screen) are focusable, so that a
// keyboard can scroll them (WCAG 2.1.1); every other equation stays out of the tab order (MathJax's own menu is
// taken out of it in _config.yml, mathjax3_config). Run once typeset, and again on resize.
(function () {
  var BOXES = '.bd-content div.math, .bd-content span.math, .bd-content mjx-container[display="true"], ' +
    // the network diagrams, which keep a legible size on a phone (nnmath.css)
    '.bd-content figure#fig-forward-network, .bd-content figure#fig-worked-network, ' +
    '.bd-content figure#fig-worked-gradients';

  // A box scrolls when its content is wider and its own overflow lets it scroll; a wider box that
  // does not scroll (its parent does) stays out of the tab order.
  function scrolls(box) {
    var overflow = getComputedStyle(box).overflowX;
    return box.scrollWidth > box.clientWidth + 1 && (overflow === 'auto' || overflow === 'scroll');
  }

  function mark() {
    document.querySelectorAll(BOXES).forEach(function (box) {
      if (scrolls(box)) {
        box.tabIndex = 0;
        box.setAttribute('data-scrolls', '');
      } else if (box.hasAttribute('data-scrolls')) {
        box.removeAttribute('tabindex');
        box.removeAttribute('data-scrolls');
      }
    });
  }

  window.addEventListener('load', function () {
    var typeset = window.MathJax && window.MathJax.startup && window.MathJax.startup.promise;
    (typeset || Promise.resolve()).then(function () {
      mark();
      // MathJax's web fonts arrive after typesetting; until then a glyph drawn in a fallback font
      // can overflow its box
      if (document.fonts) {
        document.fonts.ready.then(mark);
        document.fonts.addEventListener('loadingdone', mark);
      }
      // a box whose width changes later (a folded cell opened, a wider window) is looked at again
      if (window.ResizeObserver) {
        var observer = new ResizeObserver(mark);
        document.querySelectorAll(BOXES).forEach(function (box) {
          observer.observe(box);  // the box, and its content, whose width decides whether it scrolls
          if (box.firstElementChild) observer.observe(box.firstElementChild);
        });
      }
    });
  });
  window.addEventListener('resize', mark);
})();
