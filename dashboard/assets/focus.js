// Keep keyboard focus on the view control that was used: the page re-renders from the URL after a
// change, and without this the focus would fall back to the top of the page (WCAG 2.4.3, 3.2.2).
(function () {
  var last = null;
  document.addEventListener('focusin', function (e) {
    var el = e.target.closest ? e.target.closest('[id]') : null;
    if (el && el.id && el.id.indexOf('view-') === 0) { last = el.id; }
  });
  new MutationObserver(function () {
    if (!last) { return; }
    var active = document.activeElement;
    if (active && active !== document.body) { return; }
    var el = document.getElementById(last);
    if (!el) { return; }
    var target = el.querySelector('input, button, [tabindex]') || el;
    target.focus();
  }).observe(document.documentElement, { childList: true, subtree: true });
})();
