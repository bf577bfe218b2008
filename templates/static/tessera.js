// The login page's show-password toggle. Without scripts it stays hidden and the field is a plain password field.
(function () {
  var box = document.getElementById("show-password");
  var field = document.getElementById("password");
  if (!box || !field) return;
  box.parentNode.hidden = false;
  box.addEventListener("change", function () {
    field.type = box.checked ? "text" : "password";
  });
})();
