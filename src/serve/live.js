// lapa serve: reloads this tab after every rebuild, and shows a failed build's problems.
// Injected only into pages that `lapa serve` hands out; never part of the built site.
(() => {
  "use strict";
  const me = document.currentScript;
  // The build this page came from; "" when no build has succeeded yet.
  let build = (me && me.dataset.build) || "";
  let source = null;

  function hideOverlay() {
    const old = document.getElementById("lapa-overlay");
    if (old) old.remove();
  }

  function showOverlay(html) {
    hideOverlay();
    // The server renders the overlay with every text already HTML-escaped.
    document.body.insertAdjacentHTML("beforeend", html);
  }

  // Fetch every stylesheet again, without reloading the page (a CSS-only change).
  function swapStylesheets(id) {
    for (const link of document.querySelectorAll('link[rel~="stylesheet"]')) {
      const url = new URL(link.href, location.href);
      if (url.origin !== location.origin) continue;
      url.searchParams.set("lapa", id);
      link.href = url.toString();
    }
  }

  function onState(state) {
    if (state.error) {
      showOverlay(state.error);
      return;
    }
    hideOverlay();
    if (state.build === build) return;
    if (state.css_since && state.css_since === build) {
      swapStylesheets(state.build);
      build = state.build;
      return;
    }
    location.reload();
  }

  function connect() {
    source = new EventSource("/__lapa/events");
    source.onmessage = (event) => {
      try {
        onState(JSON.parse(event.data));
      } catch (e) {
        console.warn("lapa: cannot read the server's message", e);
      }
    };
    // EventSource retries by itself while the server is away; when it gives up
    // (closed state), start over, so a restarted `lapa serve` is found again.
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) {
        source.close();
        setTimeout(connect, 1000);
      }
    };
  }

  connect();
})();
