// GOV.UK Frontend's components (the menu button, the file upload), started once the page is
// parsed. A file, not an inline script, so a Content-Security-Policy need not allow inline code.
import { initAll } from "./govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

// A paper being made in the background (boards/paper_build.html): ask how it is going every
// two seconds and put the answer in the page's live region, which screen readers announce
// politely, until it is ready or has failed. Without this, the page's "Check again" link does.
const POLL_MS = 2000;
const RETRY_MS = 10000; // the server did not answer: ask again, less often

// The region's "Check again" link is for pages without this script: removed here, so that
// replacing the region never takes away the link a keyboard user is on.
const dropCheckAgain = (region) =>
  region.querySelectorAll("[data-check-again]").forEach((link) => link.remove());

function followPaperBuild(region) {
  let shown = region.dataset.paperBuildShown; // what the page shows: "state:step:finished"
  if (shown.endsWith(":true")) return;
  dropCheckAgain(region);
  const ask = async () => {
    let status;
    try {
      const response = await fetch(region.dataset.paperBuildStatus, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (response.redirected) {
        window.location.reload(); // signed out meanwhile: the page takes them to sign in
        return;
      }
      status = response.ok ? await response.json() : null;
    } catch {
      status = null;
    }
    if (status === null) {
      setTimeout(ask, RETRY_MS);
      return;
    }
    const now = `${status.state}:${status.step}:${status.finished}`;
    if (now !== shown) {
      shown = now;
      region.innerHTML = status.html; // rendered by the server, from its own template
      dropCheckAgain(region);
    }
    if (!status.finished) setTimeout(ask, POLL_MS);
  };
  setTimeout(ask, POLL_MS);
}

document.querySelectorAll("[data-paper-build-status]").forEach(followPaperBuild);
