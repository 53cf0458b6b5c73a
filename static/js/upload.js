/*
 * The upload page, enhanced: drop a file on the drop zone, watch a real progress bar (the
 * browser's own upload progress events), and see the result without leaving the page.
 * Without JavaScript the same form posts normally. No library: schools have slow links.
 *
 * The server answers JSON to this script (media_library.views.upload): 201 with the new
 * work's card and links, 400 with each field's errors, which go next to their fields.
 */
(function () {
  "use strict";

  var form = document.querySelector("[data-upload-form]");
  if (!form) return;

  var fileInput = form.querySelector('input[type="file"][name="file"]:not([data-camera-input])');
  var cameraInput = form.querySelector("[data-camera-input]");
  var dropZone = form.querySelector("[data-drop-zone]");
  var fileName = form.querySelector("[data-file-name]");
  var progress = form.querySelector("[data-progress]");
  var bar = progress.querySelector(".progress-bar");
  var submit = form.querySelector("[data-submit]");
  var result = document.getElementById("upload-result");

  function showFileName() {
    var file = fileInput.files && fileInput.files[0];
    fileName.textContent = file ? file.name : "";
  }

  function setFiles(files) {
    if (!files || !files.length) return;
    var transfer = new DataTransfer(); // one file per work
    transfer.items.add(files[0]);
    fileInput.files = transfer.files;
    showFileName();
  }

  function setProgress(percent) {
    var value = Math.max(0, Math.min(100, Math.round(percent)));
    progress.setAttribute("aria-valuenow", String(value));
    bar.style.width = value + "%";
    bar.textContent = value + "%";
  }

  function clearErrors() {
    form.querySelectorAll("[data-errors-for]").forEach(function (box) {
      box.textContent = "";
      box.classList.remove("d-block");
      if (box.dataset.errorsFor === "__all__") box.classList.add("d-none");
    });
    form.querySelectorAll(".is-invalid").forEach(function (el) {
      el.classList.remove("is-invalid");
      el.removeAttribute("aria-invalid");
    });
  }

  function showErrors(errors) {
    var first = null;
    Object.keys(errors).forEach(function (name) {
      var box = form.querySelector('[data-errors-for="' + name + '"]') ||
        form.querySelector('[data-errors-for="__all__"]');
      errors[name].forEach(function (error) {
        var line = document.createElement("div");
        line.textContent = error.message;
        box.appendChild(line);
      });
      box.classList.remove("d-none");
      box.classList.add("d-block");
      var input = form.querySelector('[name="' + name + '"]');
      if (input) {
        input.classList.add("is-invalid");
        input.setAttribute("aria-invalid", "true");
        if (name === "file" && dropZone) dropZone.classList.add("is-invalid");
        first = first || input;
      }
    });
    if (first && first.type !== "file") first.focus();
    (first ? first.closest("[data-field]") || first : form).scrollIntoView({ block: "center" });
  }

  function showResult(data) {
    result.innerHTML = "";
    var alert = document.createElement("div");
    alert.className = "alert alert-success";
    alert.setAttribute("role", "status");
    alert.textContent = data.message + " ";
    var mine = document.createElement("a");
    mine.href = data.my_media_url;
    mine.className = "alert-link";
    mine.textContent = "See it in My media";
    alert.appendChild(mine);
    result.appendChild(alert);
    var card = document.createElement("div");
    card.className = "uploaded-card mb-4";
    card.innerHTML = data.card_html; // rendered by the server, escaped there
    result.appendChild(card);
    result.scrollIntoView({ block: "start" });
  }

  function finish() {
    submit.disabled = false;
    form.removeAttribute("aria-busy");
  }

  function upload(event) {
    event.preventDefault();
    clearErrors();
    if (cameraInput) cameraInput.disabled = true; // its file, if any, is already in fileInput
    var data = new FormData(form);
    if (cameraInput) cameraInput.disabled = false;
    var token = form.querySelector("[name=csrfmiddlewaretoken]").value;
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    xhr.setRequestHeader("Accept", "application/json");
    xhr.setRequestHeader("X-CSRFToken", token);
    xhr.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) setProgress((e.loaded / e.total) * 100);
    });
    xhr.upload.addEventListener("load", function () { setProgress(100); });
    xhr.addEventListener("load", function () {
      finish();
      var body = null;
      try { body = JSON.parse(xhr.responseText); } catch (ignored) { body = null; }
      if (xhr.status === 201 && body) {
        form.reset();
        showFileName();
        showResult(body);
      } else if (body && body.errors) { // 400 refused, 429 too many, 503 storage down
        progress.hidden = true;
        showErrors(body.errors);
      } else {
        progress.hidden = true;
        showErrors({ __all__: [{ message: form.dataset.errorNetwork }] });
      }
    });
    xhr.addEventListener("error", function () {
      finish();
      progress.hidden = true;
      showErrors({ __all__: [{ message: form.dataset.errorNetwork }] });
    });
    setProgress(0);
    progress.hidden = false;
    submit.disabled = true;
    form.setAttribute("aria-busy", "true");
    xhr.send(data);
  }

  fileInput.addEventListener("change", showFileName);
  if (cameraInput) {
    cameraInput.addEventListener("change", function () {
      setFiles(cameraInput.files);
      cameraInput.value = "";
    });
  }
  if (dropZone) {
    ["dragenter", "dragover"].forEach(function (type) {
      dropZone.addEventListener(type, function (e) {
        e.preventDefault();
        dropZone.classList.add("drag-over");
      });
    });
    ["dragleave", "drop"].forEach(function (type) {
      dropZone.addEventListener(type, function (e) {
        e.preventDefault();
        dropZone.classList.remove("drag-over");
      });
    });
    dropZone.addEventListener("drop", function (e) {
      setFiles(e.dataTransfer && e.dataTransfer.files);
    });
  }
  form.addEventListener("submit", upload);
})();
