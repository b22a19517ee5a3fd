// The live preview: the edited form is sent to the server a moment after the last change and
// drawn by the server's own templates (the start form's and the task pages' macros), so what the
// process owner sees is what the loket shows. Problems come back as text in the same place.
const DELAY = 400;

export function previewer({ url, region, status, language, token, name, currentText, texts }) {
  let timer = null;
  let running = null;
  let lastCount = null;

  function announce(text) {
    status.textContent = text;
  }

  async function update() {
    clearTimeout(timer);
    timer = null;
    if (running) {
      running.abort();
    }
    const controller = new AbortController();
    running = controller;
    const body = new FormData();
    body.set('bestand', new Blob([currentText()], { type: 'application/json' }), name.split('/').pop());
    body.set('taal', language.value);
    region.setAttribute('aria-busy', 'true');
    try {
      const response = await fetch(url, {
        method: 'POST',
        body,
        credentials: 'same-origin',
        signal: controller.signal,
        headers: { 'X-CSRFToken': token, Accept: 'application/json' }
      });
      if (!(response.headers.get('Content-Type') || '').includes('json')) {
        announce(texts.loggedOut);
        return;
      }
      const answer = await response.json();
      region.innerHTML = answer.html; // rendered and escaped by the server's template
      if (answer.problems !== lastCount) {
        announce(answer.status);
        lastCount = answer.problems;
      }
    } catch (problem) {
      if (problem.name !== 'AbortError') {
        announce(texts.previewFailed);
      }
    } finally {
      if (running === controller) {
        running = null;
        region.removeAttribute('aria-busy');
      }
    }
  }

  language.addEventListener('change', update);
  return {
    /** Draw the preview again a moment after the last call. */
    schedule() {
      clearTimeout(timer);
      timer = setTimeout(update, DELAY);
    },
    update
  };
}
