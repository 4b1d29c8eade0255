// Renders a Figure to an HTML fragment that draws itself with a plotly.min.js found next to the page.
import { Figure } from "./figure";
import { PLOTLY_FILE } from "./plotly-asset";

/** JSON that is safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}

/**
 * A <div> plus a script that loads plotly.min.js once per page (relative URL, so it works from
 * disk, in nbconvert HTML and in Notebook 6, which redirects the URL to the file) and draws the figure.
 */
export function figureHtml(figure: Figure, plotlyUrl: string = PLOTLY_FILE): string {
  const id = `fig-${figure.id}-${Math.random().toString(36).slice(2, 8)}`;
  const spec = { data: figure.data, layout: figure.layout, frames: figure.frames ?? [] };
  return `<div id="${id}" class="workbook-figure" data-figure="${figure.id}" style="min-height:${Number(figure.layout.height ?? 460)}px"></div>
<script>
(function () {
  var spec = ${scriptJson(spec)};
  function draw() {
    window.Plotly.newPlot("${id}", spec.data, spec.layout, { responsive: true, displaylogo: false })
      .then(function (gd) { if (spec.frames.length) return window.Plotly.addFrames(gd, spec.frames); });
  }
  if (window.Plotly) return draw();
  var tag = document.querySelector("script[data-workbook-plotly]");
  if (!tag) {
    tag = document.createElement("script");
    tag.src = ${scriptJson(plotlyUrl)};
    tag.setAttribute("data-workbook-plotly", "");
    tag.onerror = function () {
      document.getElementById("${id}").textContent = "plotly.js did not load from " + tag.src + ": run npm install";
    };
    document.head.appendChild(tag);
  }
  tag.addEventListener("load", draw);
})();
</script>`;
}
