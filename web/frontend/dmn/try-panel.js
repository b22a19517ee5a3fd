// "Probeer het uit": the process owner answers the inputs of the decision table as it is on the
// screen (not yet put into use) and sees which rule fits, with its outputs and its explanation.
// The server decides, with the engine a case uses; this script only sends the table and the
// answers and shows what comes back (rendered and escaped by the server's templates). When the
// table changes, the server is asked for the answer fields again, so a new or renamed input gets
// its own field; answers already given stay.
import './try-panel.css';

const REFRESH_DELAY = 700;
const ANSWER = 'antwoord-';

function answerFields(form) {
  return Array.from(form.elements).filter((element) => element.name && element.name.startsWith(ANSWER));
}

function message(text) {
  const paragraph = document.createElement('p');
  paragraph.className = 'utrecht-paragraph dmn-try-message';
  paragraph.textContent = text;
  return paragraph;
}

/**
 * Wire the panel. ``saveXML`` gives the table as it is now, ``showElement(id)`` selects a rule or
 * an input an answer names, ``flush`` (optional) writes out input the editor is still waiting on.
 */
export function connectTrying({ panel, name, texts, saveXML, showElement, flush }) {
  const form = panel.querySelector('form');
  const fields = panel.querySelector('#proberen-velden');
  const outcome = panel.querySelector('#proberen-uitkomst');
  const button = form.querySelector('button[type=submit]');
  let shownFields = null;
  let refreshing = null;

  async function post(action) {
    if (flush) {
      flush();
    }
    const body = new FormData(form);
    body.set('actie', action);
    body.set('bestand', new Blob([await saveXML()], { type: 'application/xml' }), name.split('/').pop());
    const response = await fetch(form.action, {
      method: 'POST',
      body,
      credentials: 'same-origin',
      headers: { 'X-CSRFToken': body.get('csrf_token'), Accept: 'application/json' }
    });
    if (!(response.headers.get('Content-Type') || '').includes('json')) {
      // After the idle timeout the login page answers; any other page is a refusal.
      return response.redirected ? { loggedOut: true } : { failed: true };
    }
    return response.json();
  }

  function showFields(html) {
    if (typeof html !== 'string' || html === shownFields) {
      return;
    }
    const given = new Map(answerFields(form).map((element) => [element.name, element.value]));
    const focused = fields.contains(document.activeElement) ? document.activeElement.name : null;
    fields.innerHTML = html; // rendered and escaped by the server
    shownFields = html;
    answerFields(form).forEach((element) => {
      if (given.has(element.name)) {
        element.value = given.get(element.name); // a select keeps its value only if the option is still there
      }
      if (element.name === focused) {
        element.focus(); // someone typing here keeps their place
      }
    });
  }

  function markInvalid(ids = []) {
    answerFields(form).forEach((element) => element.removeAttribute('aria-invalid'));
    ids.forEach((id) => {
      const element = document.getElementById(`proberen-${id}`);
      if (element) {
        element.setAttribute('aria-invalid', 'true');
      }
    });
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    button.disabled = true;
    form.setAttribute('aria-busy', 'true');
    try {
      const answer = await post('proberen');
      if (answer.loggedOut || answer.failed) {
        outcome.replaceChildren(message(answer.loggedOut ? texts.loggedOut : texts.failed));
        return;
      }
      showFields(answer.fields);
      markInvalid(answer.invalid);
      outcome.innerHTML = answer.html; // rendered and escaped by the server's template
    } catch (problem) {
      outcome.replaceChildren(message(texts.failed));
    } finally {
      button.disabled = false;
      form.removeAttribute('aria-busy');
    }
  });

  outcome.addEventListener('click', (event) => {
    const link = event.target.closest('[data-element]');
    if (link && showElement(link.dataset.element)) {
      event.preventDefault();
    }
  });

  async function refresh() {
    try {
      const answer = await post('invoer');
      showFields(answer.fields);
    } catch (problem) {
      // The fields stay as they are; trying says what is wrong.
    }
  }

  panel.hidden = false;
  return {
    /** The table changed: ask for its answer fields again (after a moment without changes). */
    tableChanged() {
      window.clearTimeout(refreshing);
      refreshing = window.setTimeout(refresh, REFRESH_DELAY);
    }
  };
}
