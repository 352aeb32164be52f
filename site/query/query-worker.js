// The Query page's engine: Oxigraph's WebAssembly build over the site's RDF dump, in a
// worker so that the page stays responsive and a runaway query can be stopped by ending
// the worker (query.js does, at its time limit). The npm WebAssembly build has no HTTP
// client: SERVICE is refused by the engine itself.

let store = null;

self.onmessage = async (event) => {
  const message = event.data;
  if (message.type === "load") {
    try {
      const oxigraph = await import(message.oxigraph);
      await oxigraph.default(); // fetches web_bg.wasm beside web.js
      const response = await fetch(message.dump);
      if (!response.ok) throw new Error(`${message.dump}: ${response.status} ${response.statusText}`);
      store = new oxigraph.Store();
      store.load(await response.text(), { format: "text/turtle", base_iri: message.dump });
      self.postMessage({ type: "ready", triples: store.size });
    } catch (error) {
      self.postMessage({ type: "failed", message: String(error.message || error) });
    }
    return;
  }
  if (message.type === "query") {
    try {
      const data = store.query(message.query, { results_format: message.format });
      self.postMessage({ type: "answer", data });
    } catch (error) {
      self.postMessage({ type: "error", message: String(error.message || error) });
    }
  }
};
