// Chart labels that fit on a phone and in every language. Chart.js cuts a label that is wider
// than its axis ("…терресованности" for "Выражения заинтересованности"); given an array it
// draws one line per item. qiaoChartLabels(labels, canvas) wraps each label at spaces, hyphens
// and slashes into lines of at most ~40 % of the canvas width; a word longer than a line (and
// Chinese, which has no spaces) is cut between characters. CJK characters count double.
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
        lines.push((line + word.slice(0, cut)).trim());
        line = "";
        word = word.slice(cut);
      }
      line += word;
    });
    if (line.trim()) { lines.push(line.trim()); }
    return lines;
  };
  window.qiaoChartLabels = function (labels, canvas) {
    var width = canvas.parentElement ? canvas.parentElement.clientWidth : canvas.clientWidth;
    var limit = Math.max(10, Math.min(30, Math.floor((width * 0.4) / AVERAGE_CHAR_PX)));
    return labels.map(function (label) { return wrap(label, limit); });
  };
})();
