// Draws every chart of a published page from the figure specification beside it (plotly.js, served locally).
document.addEventListener("DOMContentLoaded", function () {
  var config = {displaylogo: false, responsive: true, modeBarButtonsToRemove: ["toImage"]};
  document.querySelectorAll(".wb-chart").forEach(function (element) {
    var spec = JSON.parse(document.getElementById(element.dataset.spec).textContent);
    Plotly.newPlot(element, spec.data, spec.layout, config).then(function () {
      element.classList.add("wb-drawn");
    });
  });
});
