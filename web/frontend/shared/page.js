// What both editor pages do around the editor: read the page's data, send the edited file
// to the server to check it or put it into use, show the server's answer (the server's
// check is the authority), link each problem to its element, and warn before leaving with
// unsaved changes. After a file went into use the form sends the event 'editor:deployed'.

/** The page's data: the file, its content and the texts and choices the server rendered. */
export function pageData(root) {
  return {
    name: root.dataset.name,
    xml: root.dataset.xml,
    lang: document.documentElement.lang || 'nl',
    texts: JSON.parse(root.dataset.texts || '{}'),
    choices: JSON.parse(root.dataset.choices || '{}')
  };
}

export function showAnswer(outcome, html) {
  outcome.innerHTML = html; // rendered and escaped by the server's template
  outcome.hidden = false;
  outcome.focus();
}

export function localAnswer(text, kind = 'error') {
  const alert = document.createElement('div');
  alert.className = `utrecht-alert utrecht-alert--${kind}`;
  alert.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  const paragraph = document.createElement('p');
  paragraph.className = 'utrecht-paragraph';
  paragraph.textContent = text;
  alert.append(paragraph);
  return alert.outerHTML;
}

/**
 * Wire the save form. ``editor`` has saveXML() -> Promise<string>, isDirty(), markSaved(),
 * showElement(id) (select an element a problem names; false when there is none) and maybe
 * flush() (write out input the editor is still waiting on) and hasUnsavedWork() (whether
 * leaving loses something; without it, isDirty() decides).
 */
export function connectSaving({ form, outcome, texts, name, editor }) {
  const buttons = Array.from(form.querySelectorAll('button[type=submit]'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const action = event.submitter ? event.submitter.value : 'controleren';
    if (editor.flush) {
      editor.flush(); // what was typed a moment ago belongs in the model
    }
    if (action === 'in_gebruik' && !editor.isDirty()) {
      // Sending the unchanged model would only make a new version that differs in layout.
      showAnswer(outcome, localAnswer(texts.nothingChanged, 'ok'));
      return;
    }
    const body = new FormData(form);
    body.set('actie', action);
    buttons.forEach((button) => { button.disabled = true; });
    form.setAttribute('aria-busy', 'true');
    try {
      const xml = await editor.saveXML();
      body.set('bestand', new Blob([xml], { type: 'application/xml' }), name.split('/').pop());
      const response = await fetch(form.action, {
        method: 'POST',
        body,
        credentials: 'same-origin',
        headers: { 'X-CSRFToken': body.get('csrf_token'), Accept: 'application/json' }
      });
      if (!(response.headers.get('Content-Type') || '').includes('json')) {
        // After the idle timeout the login page answers: the changes are still here.
        showAnswer(outcome, localAnswer(texts.loggedOut));
        return;
      }
      const answer = await response.json();
      if (answer.deployed) {
        editor.markSaved();
        form.dispatchEvent(new CustomEvent('editor:deployed'));
      }
      showAnswer(outcome, answer.html);
    } catch (problem) {
      showAnswer(outcome, localAnswer(texts.saveFailed));
    } finally {
      buttons.forEach((button) => { button.disabled = false; });
      form.removeAttribute('aria-busy');
    }
  });

  outcome.addEventListener('click', (event) => {
    const link = event.target.closest('[data-element]');
    if (link && editor.showElement(link.dataset.element)) {
      event.preventDefault();
    }
  });

  window.addEventListener('beforeunload', (event) => {
    if (editor.hasUnsavedWork ? editor.hasUnsavedWork() : editor.isDirty()) {
      event.preventDefault();
      event.returnValue = ''; // older browsers need a value to ask
    }
  });
}

/** Show the page's "cannot be shown" text instead of the editor. */
export function failed(root, error) {
  const message = document.getElementById(root.dataset.fout);
  if (message) {
    message.hidden = false;
  }
  root.hidden = true;
  if (error && window.console) {
    window.console.error(error);
  }
}
