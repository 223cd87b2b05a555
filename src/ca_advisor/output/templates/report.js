/* Filters for the ca-advisor report: they run in the page, with no server and no request. */
(function () {
  "use strict";
  var selects = Array.prototype.slice.call(document.querySelectorAll("#filters select"));
  var findings = Array.prototype.slice.call(document.querySelectorAll("article.finding"));
  var proposals = Array.prototype.slice.call(document.querySelectorAll("section.proposal"));
  var shown = document.getElementById("shown");
  var nothing = document.getElementById("nothing-shown");

  function matches(article, key, value) {
    if (!value) return true;
    var data = article.getAttribute("data-" + key) || "";
    return key === "country" ? data.split(" ").indexOf(value) >= 0 : data === value;
  }

  function apply() {
    var count = 0;
    var filtering = selects.some(function (s) { return s.value; });
    findings.forEach(function (article) {
      var visible = selects.every(function (s) { return matches(article, s.getAttribute("data-key"), s.value); });
      article.hidden = !visible;
      if (visible) count += 1;
    });
    proposals.forEach(function (section) {
      var any = section.querySelector("article.finding:not([hidden])");
      section.hidden = filtering && !any;
    });
    shown.textContent = count + " of " + findings.length + " findings shown";
    nothing.hidden = count > 0 || findings.length === 0;
  }

  function choose(key, value) {
    selects.forEach(function (s) { s.value = ""; });
    document.getElementById("filter-" + key).value = value;
  }

  selects.forEach(function (s) { s.addEventListener("change", apply); });
  document.getElementById("filter-reset").addEventListener("click", function () {
    selects.forEach(function (s) { s.value = ""; });
    apply();
  });
  Array.prototype.forEach.call(document.querySelectorAll(".matrix button"), function (button) {
    button.addEventListener("click", function () {
      choose("proposal", button.getAttribute("data-proposal"));
      document.getElementById("filter-rule").value = button.getAttribute("data-rule");
      apply();
      document.getElementById("findings").scrollIntoView();
    });
  });
  // Printing shows everything: every reasoning open, whatever the filters.
  window.addEventListener("beforeprint", function () {
    Array.prototype.forEach.call(document.querySelectorAll("details"), function (d) { d.open = true; });
  });
  apply();
})();
