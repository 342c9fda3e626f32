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

  // Questionnaire: how many questions the visitor has answered (a checked radio, or at least one
  // ticked box), and how many of those still hold the preset's answer (unchanged since the page loaded).
  var form = document.getElementById("questionnaire");
  if (form) {
    var progress = document.getElementById("answered-progress");
    var bar = document.getElementById("answered-bar");
    var count = document.getElementById("answered-count");
    var optional = (form.dataset.optional || "").split(" ");
    var preset = "preset" in form.dataset ? form.dataset.preset.split(" ") : null;
    var names = [];
    form.querySelectorAll("input[type=radio], input[type=checkbox]").forEach(function (input) {
      if (names.indexOf(input.name) === -1 && optional.indexOf(input.name) === -1) names.push(input.name);
    });
    var inputs = function (name) {
      return Array.prototype.slice.call(form.querySelectorAll("input[name='" + name + "']"));
    };
    var isAnswered = function (name) {
      return inputs(name).some(function (input) {
        return input.checked;
      });
    };
    var isUnchanged = function (name) {
      return inputs(name).every(function (input) {
        return input.checked === input.defaultChecked;
      });
    };
    var update = function () {
      var answered = names.filter(isAnswered);
      var fromPreset = preset ? answered.filter(function (name) {
        return preset.indexOf(name) !== -1 && isUnchanged(name);
      }) : [];
      var percent = names.length ? Math.round((answered.length / names.length) * 100) : 0;
      progress.setAttribute("aria-valuenow", String(answered.length));
      progress.setAttribute("aria-valuemax", String(names.length));
      bar.className = "progress-bar progress-" + (Math.round(percent / 5) * 5);
      count.textContent = (preset ? count.dataset.templatePreset : count.dataset.template)
        .replace("{answered}", String(answered.length))
        .replace("{total}", String(names.length))
        .replace("{preset}", String(fromPreset.length));
    };
    if (progress && bar && count && count.dataset.template && count.dataset.templatePreset) {
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
