// The static form of an explorer: the page's own script, no library, no request.
//
// This file is one function expression. nnmath/explore/static.py inlines it into every explorer's
// <figure>, followed by ("<figure id>"), so each explorer runs its own copy on its own elements.
// The inline copy is compacted (comment lines, line breaks, and spaces next to punctuation other
// than + and - outside strings are dropped), so: comments on lines of their own, every statement
// ends in ; or }, strings in single quotes. The figure holds:
//   img.nnx-frame               the image of the current state (a whole frame, or the transparent
//                               layer over img.nnx-background when the explorer has update=)
//   img.nnx-background          (with update=) the image that carries the alt text, which is
//                               short and stays put: the state's sentence is the paragraph below
//   p.nnx-description           the state's sentence, a polite live region under the picture
//   div.nnx-controls[hidden]    the controls, hidden until this script shows them (without
//                               JavaScript the page shows the default frame as a plain figure)
//   script.nnx-spec             JSON: frames (base64 PNG, last control fastest), sizes (values per
//                               control), default (value index per control), labels (per control,
//                               per value), descriptions (per frame: the state in words)
// Every control element carries data-control, the index of its control.
(function (id) {
  var root = document.getElementById(id);
  if (!root) return;
  var spec = JSON.parse(root.querySelector('.nnx-spec').textContent);
  var img = root.querySelector('img.nnx-frame');
  var description = root.querySelector('.nnx-description');
  // one value index per control
  var state = spec.default.slice();
  root.querySelector('.nnx-controls').hidden = false;

  // The frame number of the state: the controls' indices as the digits of a mixed-radix number,
  // the order in which nnmath.explore.controls.states lists the frames.
  function frame() {
    var k = 0;
    for (var i = 0; i < state.length; i++) {
      k = k * spec.sizes[i] + state[i];
    }
    return k;
  }

  // Show the state: its image and its description (the live region under the picture),
  // every control's value label, and every slider's position (a play button moves its slider, so
  // the slider follows the state too).
  function show() {
    var k = frame();
    img.src = 'data:image/png;base64,' + spec.frames[k];
    description.textContent = spec.descriptions[k];
    root.querySelectorAll('output[data-control]').forEach(function (output) {
      var c = +output.dataset.control;
      output.textContent = spec.labels[c][state[c]];
    });
    root.querySelectorAll('input[type=range]').forEach(function (range) {
      var c = +range.dataset.control;
      range.value = state[c];
      range.setAttribute('aria-valuetext', spec.labels[c][state[c]]);
    });
  }

  root.querySelectorAll('input[type=range]').forEach(function (range) {
    range.addEventListener('input', function () {
      state[+range.dataset.control] = +range.value;
      show();
    });
  });

  root.querySelectorAll('input[type=radio]').forEach(function (radio) {
    radio.addEventListener('change', function () {
      if (radio.checked) {
        state[+radio.dataset.control] = +radio.value;
        show();
      }
    });
  });

  // A play button steps its control from the current step to the last, then stops; at the last
  // step it starts again from the first. It toggles between play and pause. A reader who asks for
  // reduced motion gets the last step at once, no animation.
  var still = window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)');
  root.querySelectorAll('.nnx-play').forEach(function (button) {
    var timer = null;
    var c = +button.dataset.control;
    var name = button.getAttribute('aria-label');
    var last = spec.sizes[c] - 1;

    // While it plays the live region is quiet (a sentence every few hundred milliseconds would
    // drown a screen reader); when it stops, the state it stopped at is announced once.
    function stop() {
      clearInterval(timer);
      timer = null;
      button.classList.remove('nnx-playing');
      button.setAttribute('aria-label', name);
      description.setAttribute('aria-live', 'polite');
      description.textContent = '';
      setTimeout(function () { description.textContent = spec.descriptions[frame()]; }, 50);
    }

    button.addEventListener('click', function () {
      if (timer) {
        stop();
        return;
      }
      if (still && still.matches) {
        state[c] = last;
        show();
        return;
      }
      button.classList.add('nnx-playing');
      button.setAttribute('aria-label', 'pause');
      description.setAttribute('aria-live', 'off');
      if (state[c] == last) {
        state[c] = 0;
        show();
      }
      timer = setInterval(function () {
        if (state[c] >= last) {
          stop();
          return;
        }
        state[c]++;
        show();
      }, +button.dataset.interval);
    });
  });
})
