/* 听新闻 embed: turns each <a data-briefing-player="…"> on a news page into a
 * 听新闻 button that opens the briefing's player in an iframe right below it.
 * Without JavaScript the link still leads to the player page.
 *
 *   <a class="briefing-listen" href="…/episodes/SLUG.html"
 *      data-briefing-player="…/episodes/SLUG.embed.html" data-briefing-title="…">听新闻</a>
 *   <script src="…/assets/embed.js" defer></script>
 */
(function () {
  "use strict";

  var STYLE_ID = "briefing-embed-style";
  var CSS =
    ".briefing-embed-button{display:inline-flex;align-items:center;gap:.4em;min-height:44px;" +
    "min-width:44px;padding:.3em 1em;font:inherit;font-weight:700;color:#fff;background:#b3261e;" +
    "border:2px solid #b3261e;border-radius:999px;cursor:pointer}" +
    ".briefing-embed-button:hover{background:#8c1d18}" +
    ".briefing-embed-button:focus-visible{outline:3px solid #0b57d0;outline-offset:2px}" +
    ".briefing-embed-frame{display:block;width:100%;max-width:46rem;height:30rem;margin:.75em 0;" +
    "border:1px solid #8a8a8a;border-radius:12px}";
  var counter = 0;

  function addStyle() {
    if (document.getElementById(STYLE_ID)) { return; }
    var style = document.createElement("style");
    style.id = STYLE_ID;
    style.textContent = CSS;
    document.head.appendChild(style);
  }

  function speakerIcon() {
    // drawn, not an emoji: news pages cannot count on an emoji font
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("width", "20");
    svg.setAttribute("height", "20");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var path = document.createElementNS(ns, "path");
    path.setAttribute("fill", "currentColor");
    path.setAttribute("d", "M3 9v6h4l5 5V4L7 9H3zm13.5 3A4.5 4.5 0 0 0 14 8v8a4.5 4.5 0 0 0 2.5-4zM14 3.2v2.1a7 7 0 0 1 0 13.4v2.1a9 9 0 0 0 0-17.6z");
    svg.appendChild(path);
    return svg;
  }

  function resizeFrame(event) {
    var height = event.data && Number(event.data.briefingHeight);
    if (!height || height < 100 || height > 5000) { return; }
    var frames = document.querySelectorAll("iframe.briefing-embed-frame");
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === event.source) { frames[i].style.height = height + "px"; }
    }
  }

  function enhance(link) {
    if (link.getAttribute("data-briefing-ready")) { return; }
    link.setAttribute("data-briefing-ready", "true");
    var src = link.getAttribute("data-briefing-player");
    var title = link.getAttribute("data-briefing-title") || "";
    var id;
    do { id = "briefing-player-" + (++counter); } while (document.getElementById(id));

    var button = document.createElement("button");
    button.type = "button";
    button.className = "briefing-embed-button";
    button.setAttribute("lang", "zh-CN");
    button.setAttribute("aria-expanded", "false");
    button.setAttribute("aria-controls", id);
    button.appendChild(speakerIcon());
    button.appendChild(document.createTextNode(link.textContent || "听新闻"));

    var panel = document.createElement("div");
    panel.id = id;
    panel.hidden = true;

    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      if (open && !panel.firstChild) {
        var frame = document.createElement("iframe");
        frame.className = "briefing-embed-frame";
        // pressing 听新闻 is the request to listen: the player may start at once
        frame.src = src + "#play";
        frame.title = "听新闻：" + title;
        frame.setAttribute("lang", "zh-CN");
        frame.setAttribute("allow", "autoplay");
        panel.appendChild(frame);
      }
      if (!open && panel.firstChild) {
        // a hidden player must not go on talking
        panel.firstChild.contentWindow.postMessage("briefing:pause", "*");
      }
      panel.hidden = !open;
      button.setAttribute("aria-expanded", String(open));
    });

    link.parentNode.insertBefore(button, link);
    link.parentNode.insertBefore(panel, link);
    link.parentNode.removeChild(link);
  }

  function start() {
    addStyle();
    window.addEventListener("message", resizeFrame);
    var links = document.querySelectorAll("a[data-briefing-player]");
    for (var i = 0; i < links.length; i++) { enhance(links[i]); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
