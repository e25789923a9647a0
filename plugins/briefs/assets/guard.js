// Material's bundle downloads sitemap.xml beside every <link rel="alternate">
// to map its own language selector. Briefs links translations itself, and
// those hreflang links are absolute URLs: in a preview or a mirror they would
// send readers' browsers to another host. Answer those requests locally with
// an empty sitemap instead, before the bundle runs.
(() => {
  "use strict";
  const open = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    if (/\/sitemap\.xml(\?|#|$)/.test(String(url))) {
      url = "data:application/xml,%3Curlset%2F%3E";
    }
    return open.call(this, method, url, ...rest);
  };
})();
