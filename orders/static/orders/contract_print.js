// The print button of the printable contract (a static file: the CSP allows no inline handlers).
document.addEventListener("click", function (event) {
  if (event.target.closest && event.target.closest("[data-print]")) window.print();
});
