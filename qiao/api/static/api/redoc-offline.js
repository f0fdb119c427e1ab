// Redoc's sidebar footer always shows a logo from Redocly's CDN. The Content-Security-Policy
// loads nothing from outside hosts, so the logo is dropped before the browser asks for it
// (Redoc hides a logo that does not load; the "API docs by Redocly" link stays).
(() => {
  const outside = (value) => String(value).startsWith("https://cdn.redoc.ly/");
  const setAttribute = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function (name, value) {
    if (!(this instanceof HTMLImageElement && name === "src" && outside(value))) {
      setAttribute.call(this, name, value);
    }
  };
  const src = Object.getOwnPropertyDescriptor(HTMLImageElement.prototype, "src");
  Object.defineProperty(HTMLImageElement.prototype, "src", {
    ...src,
    set(value) {
      if (!outside(value)) src.set.call(this, value);
    },
  });
})();
