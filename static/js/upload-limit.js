// A file above the upload limit is refused before it is sent. The server refuses it too (413,
// before reading the body), but a browser still sending a large body when the server answers
// and closes the connection may show a network error instead of that page; and nobody should
// wait for 50 MB to travel only to hear "too large".
// Markup: <input type="file" data-max-bytes="…" data-too-large="message"> inside a form.
(function () {
  "use strict";

  function tooLarge(input) {
    var limit = Number(input.getAttribute("data-max-bytes"));
    return Array.prototype.some.call(input.files || [], function (file) {
      return file.size > limit;
    });
  }

  function showError(input) {
    var id = "error-" + input.name;
    var error = document.getElementById(id);
    if (!error) {
      error = document.createElement("p");
      error.className = "kern-error";
      error.id = id;
      input.parentNode.insertBefore(error, input);
      var described = (input.getAttribute("aria-describedby") || "").split(" ");
      if (described.indexOf(id) < 0) described.push(id);
      input.setAttribute("aria-describedby", described.join(" ").trim());
    }
    error.textContent = input.getAttribute("data-too-large");
    input.setAttribute("aria-invalid", "true");
    input.focus();
  }

  document.addEventListener("submit", function (event) {
    var inputs = event.target.querySelectorAll("input[type='file'][data-max-bytes]");
    for (var i = 0; i < inputs.length; i++) {
      if (tooLarge(inputs[i])) {
        event.preventDefault();
        showError(inputs[i]);
        return;
      }
    }
  });
})();
