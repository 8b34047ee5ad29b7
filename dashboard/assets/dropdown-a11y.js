// dcc.Dropdown (Dash 4) reaches its button through a focusable <input aria-hidden="true"> placed before
// it (axe: aria-hidden-focus, serious), and names the button by its value only, so the visible
// <label for> is not part of its name (WCAG 1.3.1, 2.5.3, 4.1.2). The proxy is hidden in style.css;
// here the button itself joins the Tab order and its label is put first in its name.
(function () {
  function fix(button) {
    if (button.getAttribute('data-a11y') === '1') { return; }
    button.setAttribute('data-a11y', '1');
    if (!button.disabled) { button.setAttribute('tabindex', '0'); }
    if (!button.id) { return; }
    var label = document.querySelector('label[for="' + CSS.escape(button.id) + '"]');
    if (!label) { return; }
    if (!label.id) { label.id = button.id + '-label'; }
    var names = (button.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean);
    if (names.indexOf(label.id) < 0) {
      button.setAttribute('aria-labelledby', [label.id].concat(names).join(' '));
    }
  }
  function scan() {
    document.querySelectorAll('button.dash-dropdown').forEach(fix);
  }
  new MutationObserver(scan).observe(document.documentElement, { childList: true, subtree: true });
  scan();
})();
