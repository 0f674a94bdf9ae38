// Equations and figures that scroll sideways (a narrow screen) are focusable, so that a keyboard
// can scroll them (WCAG 2.1.1); every other equation stays out of the tab order (MathJax's own menu is
// taken out of it in _config.yml, mathjax3_config). Run once typeset, and again on resize.
(function () {
  var BOXES = '.bd-content div.math, .bd-content span.math, .bd-content mjx-container[display="true"], ' +
    // figures, and explorers' pictures, which keep a legible size on a phone (nnmath.css)
    '.bd-content figure, .bd-content .nnx-view';
  var PHONE_TEXT_PX = 11;  // nnmath.plots.PHONE_TEXT_PX

  // A figure glued by nnmath.book.glue_figure carries the size of its smallest text (CSS px at
  // its natural size, to the nearest tenth: class nnmath-text-122 for 12.2 px); the width at which
  // that text, at least 12.15 px then, is PHONE_TEXT_PX, which nnmath.css keeps below 600 px.
  function keepLegible() {
    document.querySelectorAll('.bd-content figure[class*="nnmath-text-"] > img').forEach(function (img) {
      var tenths = /(?:^|\s)nnmath-text-(\d+)/.exec(img.parentElement.className);
      if (!tenths || !img.naturalWidth) return;
      var smallest = (+tenths[1] - 0.5) / 10;
      var width = Math.min(img.naturalWidth, Math.ceil(img.naturalWidth * PHONE_TEXT_PX / smallest));
      img.style.setProperty('--nnmath-legible-width', width + 'px');
    });
  }

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
    keepLegible();
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

// WCAG 2.5.3 (label in name): sphinx-togglebutton names its buttons "Toggle hidden content"
// while they show "Click to show" / "Click to hide" (its data-toggle-hint): a voice-control user
// says what is shown. The name follows the hint, which the button changes on every click.
(function () {
  function name(button) {
    if (button.dataset.toggleHint) button.setAttribute('aria-label', button.dataset.toggleHint);
  }
  window.addEventListener('load', function () {
    document.querySelectorAll('button.toggle-button').forEach(name);
  });
  document.addEventListener('click', function (event) {
    var button = event.target.closest && event.target.closest('button.toggle-button');
    if (button) setTimeout(function () { name(button); }, 0);
  });
})();

// A link to a place inside a folded box (a dropdown, a folded code cell), or to the box itself,
// opens the box: the reader lands on what the link names, not on a closed box. On arrival with a
// #fragment, on every change of it, and on a click of a link to the fragment already in the address.
(function () {
  function openFoldsAround(hash) {
    if (!hash || hash.length < 2) return;
    var target = document.getElementById(decodeURIComponent(hash.slice(1)));
    if (!target) return;
    var opened = false;
    for (var node = target; node; node = node.parentElement) {
      if (node.tagName === 'DETAILS' && !node.open) {
        node.open = opened = true;
      }
      if (node.classList && node.classList.contains('toggle-hidden')) {
        var button = node.querySelector('button.toggle-button');
        if (button) { button.click(); opened = true; }
      }
    }
    if (opened) target.scrollIntoView();  // the box's content moved what follows it
  }
  window.addEventListener('load', function () { openFoldsAround(location.hash); });
  window.addEventListener('hashchange', function () { openFoldsAround(location.hash); });
  document.addEventListener('click', function (event) {
    var link = event.target.closest && event.target.closest('a[href^="#"]');
    if (link && link.getAttribute('href') === location.hash) openFoldsAround(location.hash);
  });
})();
