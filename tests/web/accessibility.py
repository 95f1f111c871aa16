"""axe-core in every browser test: each page that loads runs axe once its `load` event fired, and
every violation is logged as a console error (so `console_errors` fails the test, naming the
rule and the elements); when a test ends, the pages still open are checked once more in their
final state (after htmx swaps and typing). axe comes from the axe-playwright-python wheel on the
package index, injected as an init script: the page's Content-Security-Policy stays as served."""

from __future__ import annotations

import json
from pathlib import Path

import axe_playwright_python

AXE_SOURCE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()

# Pages drawn by software we do not own: the API reference is Swagger UI (drf-spectacular-sidecar),
# a developers' page whose own axe findings (nested controls, contrast) are upstream's.
NOT_OURS = ["/api/docs/"]

# `window.__meijiaAxe` is the run in flight (axe refuses a second run while one is going).
ON_LOAD = """
(function () {
  function report(result) {
    result.violations.forEach(function (violation) {
      var where = violation.nodes.slice(0, 5).map(function (node) {
        return node.target.join(" ") + " [" + node.html.slice(0, 160) + "]" +
          (node.failureSummary ? " {" + node.failureSummary.slice(0, 200) + "}" : "");
      });
      console.error("axe " + violation.id + " (" + violation.impact + "): " + violation.help +
        " at " + where.join(", "));
    });
  }
  var notOurs = NOT_OURS;
  window.__meijiaAxeCheck = function () {
    var skip = notOurs.some(function (path) { return location.pathname.indexOf(path) === 0; });
    // Our pages only: not Chromium's own error page (a download the test opened as a page).
    var ours = location.protocol === "http:" || location.protocol === "https:";
    if (skip || !ours || document.contentType !== "text/html") { return Promise.resolve(); }
    var previous = window.__meijiaAxe || Promise.resolve();
    window.__meijiaAxe = previous.then(function () {
      return window.axe.run(document, { resultTypes: ["violations"] }).then(report);
    });
    return window.__meijiaAxe;
  };
  window.addEventListener("load", function () {
    // HTML documents only (not /sw.js or a JSON answer opened in a tab).
    if (window.top === window) { window.__meijiaAxeCheck(); }
  });
})();
"""


def watch_accessibility(context) -> None:
    """Every page of the context runs axe when it loads and reports violations to the console."""
    context.add_init_script(script=AXE_SOURCE)
    context.add_init_script(script=ON_LOAD.replace("NOT_OURS", json.dumps(NOT_OURS)))


def check_open_pages(context) -> None:
    """Run axe once more on every page still open (its final state); the violations land in the
    console errors like the others."""
    for page in context.pages:
        if page.is_closed() or not page.url.startswith("http"):
            continue
        try:
            page.evaluate("() => window.__meijiaAxeCheck && window.__meijiaAxeCheck()")
        except Exception as error:  # noqa: BLE001 - a page navigating away as the test ended
            if "Execution context was destroyed" not in str(error):
                raise


def assert_accessible(page) -> None:
    """For a test that wants the verdict at a given step (e.g. a dialog open)."""
    page.evaluate("() => window.__meijiaAxeCheck()")
