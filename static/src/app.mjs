// GOV.UK Frontend's components (the menu button, the file upload), started once the page is
// parsed. A file, not an inline script, so a Content-Security-Policy need not allow inline code.
import { initAll } from "./govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
