/*
 * The upload page, enhanced: drop a file on the drop zone, watch a real progress bar (the
 * browser's own upload progress events), and see the result without leaving the page.
 * Without JavaScript the same form posts normally. No library: schools have slow links.
 *
 * The server answers JSON to this script (media_library.views.upload): 201 with the new
 * work's card and links, 400 with each field's errors, which go next to their fields.
 *
 * With Cloudinary (the form's data-direct-url), videos and recordings go straight to
 * Cloudinary instead (media_library.direct_uploads): the server signs the upload, the file
 * is POSTed in chunks (X-Unique-Upload-Id, Content-Range), a failed chunk is sent again
 * after a pause that doubles, and Cloudinary's last answer goes to the server, which makes
 * the work. What was confirmed is kept in localStorage under the file's name, size and date,
 * so that after a reload the same file resumes from the last confirmed byte while its
 * signature lasts.
 */
(function () {
  "use strict";
  // Django's JavaScript catalogue (its own <script>, before this one) gives gettext and
  // interpolate in the page's language; without it, the English the code is written in.
  var gettext = window.gettext || function (text) { return text; };
  var interpolate = window.interpolate || function (format, values) {
    return format.replace(/%\((\w+)\)s/g, function (whole, name) { return String(values[name]); });
  };

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
  var resumeNote = form.querySelector("[data-resume]");
  var submitLabel = submit.textContent;
  var RETRIES = 5;
  var STORE = "mediahub-direct-upload:";

  function showFileName() {
    var file = fileInput.files && fileInput.files[0];
    fileName.textContent = file ? file.name : "";
    offerResume(file);
  }

  // --- Straight to Cloudinary ----------------------------------------------------------
  function directKind(file) {
    if (!form.dataset.directUrl || !file) return null;
    if (/^video\//.test(file.type)) return "video";
    if (/^audio\//.test(file.type)) return "audio";
    return null;
  }

  function storeKey(file) {
    return STORE + file.name + ":" + file.size + ":" + file.lastModified;
  }

  function saved(file) {
    var record = null;
    try { record = JSON.parse(window.localStorage.getItem(storeKey(file))); } catch (e) { record = null; }
    // Resumable while the signature lasts, with a minute to spare.
    if (record && record.signed.expires_at * 1000 > Date.now() + 60000) return record;
    if (record) forget(file);
    return null;
  }

  function remember(file, record) {
    try { window.localStorage.setItem(storeKey(file), JSON.stringify(record)); } catch (e) { /* full: no resume */ }
  }

  function forget(file) {
    try { window.localStorage.removeItem(storeKey(file)); } catch (e) { /* nothing kept */ }
  }

  function offerResume(file) {
    var record = file && directKind(file) ? saved(file) : null;
    resumeNote.hidden = !record;
    submit.textContent = record ? gettext("Resume upload") : submitLabel;
    if (record) {
      var percent = Math.floor((record.confirmed / file.size) * 100);
      resumeNote.textContent = interpolate(
        gettext("The upload of %(name)s stopped at %(percent)s. It continues from there."),
        { name: file.name, percent: percent + "%" }, true);
    }
  }

  function post(url, body, headers, onProgress) {
    return new Promise(function (resolve) {
      var xhr = new XMLHttpRequest();
      xhr.open("POST", url);
      Object.keys(headers).forEach(function (name) { xhr.setRequestHeader(name, headers[name]); });
      if (onProgress) {
        xhr.upload.addEventListener("progress", function (e) {
          if (e.lengthComputable) onProgress(e.loaded / e.total);
        });
      }
      xhr.addEventListener("load", function () {
        var data = null;
        try { data = JSON.parse(xhr.responseText); } catch (ignored) { data = null; }
        resolve({ status: xhr.status, body: data });
      });
      xhr.addEventListener("error", function () { resolve({ status: 0, body: null }); });
      xhr.send(body);
    });
  }

  function pause(ms) {
    return new Promise(function (resolve) { window.setTimeout(resolve, ms); });
  }

  function serverHeaders(json) {
    var headers = {
      "X-Requested-With": "XMLHttpRequest",
      "Accept": "application/json",
      "X-CSRFToken": form.querySelector("[name=csrfmiddlewaretoken]").value
    };
    if (json) headers["Content-Type"] = "application/json";
    return headers;
  }

  function sign(file, kind) {
    var data = new FormData();
    ["csrfmiddlewaretoken", "title", "description", "tags", "classroom", "visibility"].forEach(
      function (name) {
        var field = form.elements[name];
        if (field) data.append(name, field.value);
      });
    data.append("kind", kind);
    data.append("filename", file.name);
    data.append("size", String(file.size));
    return post(form.dataset.directUrl, data, serverHeaders(false));
  }

  // One chunk, sent again after 1, 2, 4... seconds while the network or Cloudinary fails.
  function sendChunk(file, record, start, end) {
    var signed = record.signed;
    var attempt = 0;
    function once() {
      var data = new FormData();
      Object.keys(signed.params).forEach(function (name) { data.append(name, signed.params[name]); });
      data.append("api_key", signed.api_key);
      data.append("signature", signed.signature);
      data.append("file", file.slice(start, end), file.name);
      var headers = {
        "X-Unique-Upload-Id": record.uploadId,
        "Content-Range": "bytes " + start + "-" + (end - 1) + "/" + file.size
      };
      return post(signed.upload_url, data, headers, function (fraction) {
        setProgress(((start + fraction * (end - start)) / file.size) * 100);
      }).then(function (answer) {
        if (answer.status === 200 && answer.body) return answer.body;
        var passing = answer.status === 0 || answer.status >= 500;
        if (!passing || ++attempt >= RETRIES) throw new Error("chunk");
        return pause(1000 * Math.pow(2, attempt - 1)).then(once);
      });
    }
    return once();
  }

  function directUpload(file, kind) {
    var record = saved(file);
    var ready = record ? Promise.resolve(record) : sign(file, kind).then(function (answer) {
      if (answer.status !== 201 || !answer.body || !answer.body.params) throw answer;
      var fresh = {
        signed: answer.body,
        uploadId: answer.body.public_id.split("/").pop() + Date.now().toString(36),
        confirmed: 0
      };
      remember(file, fresh);
      return fresh;
    });
    return ready.then(function (record) {
      var size = record.signed.chunk_bytes;
      function next(last) {
        if (record.confirmed >= file.size) return last;
        var start = record.confirmed;
        var end = Math.min(file.size, start + size);
        return sendChunk(file, record, start, end).then(function (answer) {
          record.confirmed = end;
          remember(file, record);
          return next(answer);
        });
      }
      return next(null).then(function (final) {
        setProgress(100);
        var body = JSON.stringify({ response: final || {} });
        return post(record.signed.complete_url, body, serverHeaders(true)).then(function (answer) {
          forget(file); // completed or refused: the asset is the server's business now
          return answer;
        });
      });
    });
  }

  function directSubmit(file, kind) {
    directUpload(file, kind).then(function (answer) {
      finish();
      if (answer.status === 201 && answer.body) {
        form.reset();
        showFileName();
        showResult(answer.body);
      } else {
        progress.hidden = true;
        showErrors((answer.body && answer.body.errors) ||
          { __all__: [{ message: form.dataset.errorNetwork }] });
      }
    }).catch(function (failure) {
      finish();
      progress.hidden = true;
      offerResume(file);
      var errors = failure && failure.body && failure.body.errors;
      showErrors(errors || { __all__: [{ message: form.dataset.errorNetwork }] });
    });
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
    mine.textContent = gettext("See it in My media");
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
    var chosen = fileInput.files && fileInput.files[0];
    var kind = directKind(chosen);
    if (kind) {
      resumeNote.hidden = true;
      setProgress(0);
      progress.hidden = false;
      submit.disabled = true;
      form.setAttribute("aria-busy", "true");
      directSubmit(chosen, kind);
      return;
    }
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
