// Progressive enhancements only: every page works without JavaScript.
"use strict";

(function () {
  // Result page: a button that copies the permalink.
  document.querySelectorAll("[data-copy-link]").forEach(function (button) {
    if (!navigator.clipboard) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      var status = document.querySelector(".copy-status");
      navigator.clipboard.writeText(button.dataset.copyLink).then(
        function () {
          if (status) status.textContent = button.dataset.copiedText || "Link copied.";
        },
        function () {
          if (status) status.textContent = button.dataset.failedText || "Copy failed: select the link and copy it.";
        }
      );
    });
  });

  // Questionnaire: how many questions are answered, and focus on the first error.
  var form = document.getElementById("questionnaire");
  if (form) {
    var progress = document.getElementById("answered-progress");
    var bar = document.getElementById("answered-bar");
    var count = document.getElementById("answered-count");
    var optional = (form.dataset.optional || "").split(" ");
    var names = [];
    form.querySelectorAll("input[type=radio], input[type=checkbox]").forEach(function (input) {
      if (names.indexOf(input.name) === -1 && optional.indexOf(input.name) === -1) names.push(input.name);
    });
    var update = function () {
      var answered = names.filter(function (name) {
        return form.querySelector("input[name='" + name + "']:checked");
      }).length;
      var percent = names.length ? Math.round((answered / names.length) * 100) : 0;
      progress.setAttribute("aria-valuenow", String(answered));
      progress.setAttribute("aria-valuemax", String(names.length));
      bar.className = "progress-bar progress-" + (Math.round(percent / 5) * 5);
      count.textContent = count.dataset.template
        .replace("{answered}", String(answered))
        .replace("{total}", String(names.length));
    };
    if (progress && bar && count && count.dataset.template) {
      progress.hidden = false;
      count.hidden = false;
      form.addEventListener("change", update);
      update();
    }
    var firstError = form.querySelector(".is-invalid, .invalid-feedback");
    if (firstError) {
      var field = firstError.closest(".mb-3") || firstError;
      var input = field.querySelector("input, select, textarea");
      (input || field).focus();
      field.scrollIntoView({ block: "center" });
    }
  }

  // Printing a result shows every folded section.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details").forEach(function (details) {
      details.open = true;
    });
  });
})();
