// The pickers (templates/macros/combobox.html: the occupation picker, the board's employer and
// case worker filters): the keyboard and pointer behaviour of an ARIA 1.2 combobox with a
// listbox. htmx fills the listbox as the person types; this file opens and closes it, moves the
// active option (aria-activedescendant) with the arrow keys, and on Enter or a click writes the
// chosen value into the hidden field and its label into the text field, then tells the form
// (a `change` event on the hidden field: the board's filter form reloads the board on it).
// Without JavaScript the form still works: the server reads the typed text.
(function () {
  "use strict";

  function partsOf(element) {
    var picker = element && element.closest && element.closest("[data-picker]");
    if (!picker) return null;
    return {
      picker: picker,
      input: picker.querySelector("[role='combobox']"),
      listbox: picker.querySelector("[role='listbox']"),
      value: picker.querySelector("[data-picker-value]"),
    };
  }

  function options(parts) {
    return Array.prototype.slice.call(parts.listbox.querySelectorAll("[role='option']"));
  }

  function active(parts) {
    var id = parts.input.getAttribute("aria-activedescendant");
    return id ? document.getElementById(id) : null;
  }

  function isOpen(parts) {
    return parts.input.getAttribute("aria-expanded") === "true";
  }

  function open(parts) {
    if (!options(parts).length) {
      close(parts);
      return;
    }
    parts.listbox.hidden = false;
    parts.input.setAttribute("aria-expanded", "true");
  }

  function close(parts) {
    parts.listbox.hidden = true;
    parts.input.setAttribute("aria-expanded", "false");
    activate(parts, null);
  }

  function activate(parts, option) {
    options(parts).forEach(function (each) {
      each.setAttribute("aria-selected", each === option ? "true" : "false");
    });
    if (option) {
      parts.input.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    } else {
      parts.input.removeAttribute("aria-activedescendant");
    }
  }

  function move(parts, step) {
    var all = options(parts);
    if (!all.length) return;
    if (!isOpen(parts)) open(parts);
    var index = all.indexOf(active(parts));
    if (index === -1) index = step > 0 ? 0 : all.length - 1;
    else index = (index + step + all.length) % all.length;
    activate(parts, all[index]);
  }

  function choose(parts, option) {
    parts.value.value = option.getAttribute("data-value");
    parts.input.value = option.getAttribute("data-label");
    // A choice in the list replaces one among the radio buttons of a search without JavaScript.
    parts.picker.querySelectorAll("input[type='radio']").forEach(function (radio) {
      radio.checked = false;
    });
    close(parts);
    parts.value.dispatchEvent(new Event("change", { bubbles: true }));
  }

  document.addEventListener("keydown", function (event) {
    if (!event.target.matches || !event.target.matches("[data-picker] [role='combobox']")) return;
    var parts = partsOf(event.target);
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        if (event.altKey) open(parts);
        else move(parts, 1);
        break;
      case "ArrowUp":
        event.preventDefault();
        move(parts, -1);
        break;
      case "Enter":
        if (isOpen(parts) && active(parts)) {
          event.preventDefault();
          choose(parts, active(parts));
        }
        break;
      case "Escape":
        if (isOpen(parts)) {
          event.preventDefault();
          close(parts);
        }
        break;
    }
  });

  // Typing after a choice makes the value stale: the server then reads the text instead.
  document.addEventListener("input", function (event) {
    if (!event.target.matches || !event.target.matches("[data-picker] [role='combobox']")) return;
    partsOf(event.target).value.value = "";
  });

  // mousedown, not click: the text field keeps the focus, so the list is not closed before the
  // choice arrives.
  document.addEventListener("mousedown", function (event) {
    var option = event.target.closest && event.target.closest("[data-picker] [role='option']");
    if (!option) return;
    event.preventDefault();
    choose(partsOf(option), option);
  });

  document.addEventListener("focusout", function (event) {
    var parts = partsOf(event.target);
    if (parts && !parts.picker.contains(event.relatedTarget)) close(parts);
  });

  // New options arrived: show them while the person is still in the field.
  document.addEventListener("htmx:afterSwap", function (event) {
    var parts = partsOf(event.target);
    if (!parts || event.target !== parts.listbox) return;
    activate(parts, null);
    if (document.activeElement === parts.input) open(parts);
    else close(parts);
  });
})();
