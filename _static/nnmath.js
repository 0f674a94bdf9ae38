// Equations that scroll sideways (a narrow screen) are focusable, so that a keyboard can scroll
// them (WCAG 2.1.1); every other equation stays out of the tab order (MathJax's own menu is
// taken out of it in _config.yml, mathjax3_config). Run once typeset, and again on resize.
(function () {
  var BOXES = '.bd-content div.math, .bd-content span.math, .bd-content mjx-container[display="true"]';

  function mark() {
    document.querySelectorAll(BOXES).forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
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
    (typeset || Promise.resolve()).then(mark);
  });
  window.addEventListener('resize', mark);
})();
