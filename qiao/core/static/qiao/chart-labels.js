// Chart labels that fit on a phone and in every language. Chart.js cuts a label that is wider
// than its axis ("…терресованности" for "Выражения заинтересованности"); given an array it
// draws one line per item. qiaoChartLabels(labels, canvas) wraps each label at spaces, hyphens
// and slashes into lines of at most ~40 % of the canvas width; a word longer than a line (and
// Chinese, which has no spaces) is cut between characters (with a hyphen unless Chinese). CJK characters count double.
(function () {
  "use strict";
  var AVERAGE_CHAR_PX = 7;
  var cjk = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]/;
  var units = function (text) {
    var n = 0;
    for (var i = 0; i < text.length; i += 1) { n += cjk.test(text[i]) ? 2 : 1; }
    return n;
  };
  var wrap = function (label, limit) {
    var text = String(label);
    if (units(text) <= limit) { return text; }
    var lines = [];
    var line = "";
    text.split(/(?<=[\s\-\/])/).forEach(function (word) {
      if (units(line + word) > limit && line.trim()) { lines.push(line.trim()); line = ""; }
      while (units(word) > limit) {
        var cut = 0;
        var used = 0;
        while (cut < word.length && used + units(word[cut]) <= limit - units(line)) {
          used += units(word[cut]);
          cut += 1;
        }
        if (cut === 0) { lines.push(line.trim()); line = ""; continue; }
        // A cut inside a Cyrillic or Latin word is marked with a hyphen.
        var hyphen = cjk.test(word[cut - 1]) ? "" : "-";
        if (hyphen) { cut = Math.max(1, cut - 1); }
        lines.push((line + word.slice(0, cut)).trim() + hyphen);
        line = "";
        word = word.slice(cut);
      }
      line += word;
    });
    if (line.trim()) { lines.push(line.trim()); }
    return lines;
  };
  var widthOf = function (canvas) {
    return canvas.parentElement ? canvas.parentElement.clientWidth : canvas.clientWidth;
  };
  window.qiaoChartLabels = function (labels, canvas) {
    var limit = Math.max(10, Math.min(30, Math.floor((widthOf(canvas) * 0.4) / AVERAGE_CHAR_PX)));
    return labels.map(function (label) { return wrap(label, limit); });
  };
  // Sideways bars (indexAxis "y") name every category (autoSkip off), so the chart grows with
  // them: ~17 px a label line, 12 px between bars, room for the value axis.
  window.qiaoBarsHeight = function (wrapped) {
    var lines = wrapped.reduce(function (n, label) { return n + (Array.isArray(label) ? label.length : 1); }, 0);
    return Math.max(220, lines * 17 + wrapped.length * 12 + 50);
  };
  // A legend draws one line per item (lines of a wrapped label overlap the next item): one
  // that is too long for the canvas ends in "…"; the tooltip and the table keep it whole.
  window.qiaoLegendLabel = function (label, canvas) {
    var limit = Math.max(10, Math.floor((widthOf(canvas) - 60) / AVERAGE_CHAR_PX));
    var text = String(label);
    if (units(text) <= limit) { return text; }
    while (units(text) > limit - 1) { text = text.slice(0, -1); }
    return text.trim() + "…";
  };
})();
