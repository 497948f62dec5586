// Draw every chart of the report from its JSON spec; the PDF printer waits for window.reportChartsDrawn.
(function () {
  var charts = Array.prototype.slice.call(document.querySelectorAll(".report-chart"));
  var config = { responsive: true, displayModeBar: false };
  var drawing = charts.map(function (chart) {
    try {
      var spec = JSON.parse(document.getElementById(chart.dataset.spec).textContent);
      return Plotly.newPlot(chart, spec.data, spec.layout, config);
    } catch (error) {
      return Promise.reject(error);
    }
  });
  Promise.all(drawing).then(function () { window.reportChartsDrawn = true; },
                            function (error) { window.reportChartsError = String(error); });
  // A reader printing from the browser: charts redrawn to the paper's width.
  window.addEventListener("beforeprint", function () { charts.forEach(function (c) { Plotly.Plots.resize(c); }); });
})();
