/* graphapp: the little JavaScript the pages use (no library, no CDN; the pages work without it).
   - name suggestions: an input with data-suggest="DATALIST_ID" fills that <datalist> from
     /suggest as one types (data-suggest-kinds="Organization Company" narrows the kinds);
     with data-suggest-go, picking a suggestion opens the entity;
   - phone tables: each cell of a table.rels gets its column's header as data-label, so the
     stylesheet can show rows as stacked cards on a narrow screen;
   - data-autosubmit: a select that submits its form when changed (the language menu);
   - data-add-field: a button that adds one more empty name field to its fieldset. */
(function () {
  "use strict";

  function suggest(input) {
    var list = document.getElementById(input.getAttribute("data-suggest"));
    if (!list) { return; }
    var kinds = (input.getAttribute("data-suggest-kinds") || "").split(" ").filter(Boolean);
    var go = input.getAttribute("data-suggest-go");
    var timer = null, last = "", ids = {};
    input.addEventListener("input", function () {
      var q = input.value.trim();
      if (go && ids[input.value]) { window.location.href = go + encodeURIComponent(ids[input.value]); return; }
      if (q.length < 2 || q === last) { return; }
      clearTimeout(timer);
      timer = setTimeout(function () {
        last = q;
        var url = "/suggest?q=" + encodeURIComponent(q) +
          kinds.map(function (k) { return "&kinds=" + encodeURIComponent(k); }).join("");
        fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
          .then(function (r) { return r.ok ? r.json() : []; })
          .then(function (found) {
            list.textContent = "";
            ids = {};
            found.forEach(function (e) {
              var option = document.createElement("option");
              option.value = e.name;
              option.label = e.labels.join(", ") + " · " + e.id;
              ids[e.name] = e.id;
              list.appendChild(option);
            });
          })
          .catch(function () { /* offline or signed out: typing still works */ });
      }, 150);
    });
  }

  function labelCells(table) {
    var heads = table.querySelectorAll("thead th");
    if (!heads.length) { return; }
    var names = Array.prototype.map.call(heads, function (th) { return th.textContent.trim(); });
    table.querySelectorAll("tbody tr").forEach(function (tr) {
      Array.prototype.forEach.call(tr.children, function (cell, i) {
        if (names[i] && !cell.hasAttribute("data-label")) { cell.setAttribute("data-label", names[i]); }
      });
    });
    table.classList.add("cards");
  }

  function addField(button) {
    button.addEventListener("click", function () {
      var box = button.closest("fieldset");
      var boxes = box.querySelectorAll("input[type=text], select.pick");
      var last = boxes[boxes.length - 1];
      var copy;
      if (last.tagName === "INPUT") {
        copy = last.cloneNode(false);
      } else {  // every box is a choice between entities of one name: make a fresh name box
        copy = document.createElement("input");
        copy.type = "text";
        copy.name = last.name;
        copy.size = 40;
        copy.autocomplete = "off";
        copy.setAttribute("list", last.name + "-suggestions");
        copy.setAttribute("data-suggest", last.name + "-suggestions");
        copy.setAttribute("data-suggest-kinds", box.getAttribute("data-kinds") || "");
        copy.setAttribute("aria-label", box.querySelector("legend").textContent);
      }
      copy.value = "";
      ["id", "aria-invalid", "aria-describedby", "required"].forEach(function (a) {
        copy.removeAttribute(a);
      });
      last.parentNode.insertBefore(copy, last.nextSibling);
      suggest(copy);
      copy.focus();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-suggest]").forEach(suggest);
    document.querySelectorAll("table.rels").forEach(labelCells);
    document.querySelectorAll("select[data-autosubmit]").forEach(function (s) {
      s.addEventListener("change", function () { s.form.submit(); });
    });
    document.querySelectorAll("button[data-add-field]").forEach(addField);
  });
})();
