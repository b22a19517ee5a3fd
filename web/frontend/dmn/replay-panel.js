// "Terugkijken op eerdere initiatieven": the categorisation table as it is on the screen (not yet
// put into use) replayed on the intakes of the pilot, or of a period. The server renders the
// panel (only for the table that decides the category) and every outcome, translated and
// escaped; this script fetches the panel, sends the table with the period and shows what comes
// back. The outcome's summary sentence (or what went wrong) also goes to the panel's status line,
// which only screen readers see, so it is read out without reading out the tables.
import './replay-panel.css';

function message(text) {
  const paragraph = document.createElement('p');
  paragraph.className = 'utrecht-paragraph';
  paragraph.textContent = text;
  return paragraph;
}

async function fetchPanel(url) {
  const response = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
  if (response.status !== 200 || !(response.headers.get('Content-Type') || '').includes('json')) {
    return null; // 204: this table does not decide the category
  }
  const holder = document.createElement('div');
  holder.innerHTML = (await response.json()).html; // rendered and escaped by the server's template
  return holder.querySelector('#terugkijken');
}

function wire(panel, { name, saveXML, flush, showElement }) {
  const form = panel.querySelector('form');
  const status = panel.querySelector('#terugkijken-status');
  const outcome = panel.querySelector('#terugkijken-uitkomst');
  const button = form.querySelector('button[type=submit]');
  const texts = form.dataset;
  let busy = false;

  function markInvalid(names = []) {
    ['van', 'tot'].forEach((field) => {
      const element = form.elements[field];
      if (names.includes(field)) {
        element.setAttribute('aria-invalid', 'true');
      } else {
        element.removeAttribute('aria-invalid');
      }
    });
  }

  function fail(text) {
    const note = message(text);
    note.classList.add('dmn-replay-failed');
    outcome.replaceChildren(note);
    status.textContent = text;
  }

  async function post(from) {
    if (flush) {
      flush();
    }
    const body = new FormData(form);
    body.set('vanaf', String(from));
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

  async function replay(from, focusList) {
    if (busy) {
      return;
    }
    busy = true;
    button.disabled = true;
    panel.setAttribute('aria-busy', 'true');
    status.textContent = texts.busy;
    const busyNote = message(texts.busy);
    busyNote.classList.add('dmn-replay-busy');
    busyNote.setAttribute('aria-hidden', 'true'); // the status line says it
    outcome.prepend(busyNote);
    try {
      const answer = await post(from);
      if (answer.loggedOut || answer.failed) {
        fail(answer.loggedOut ? texts.loggedOut : texts.failed);
        return;
      }
      markInvalid(answer.invalid);
      outcome.innerHTML = answer.html; // rendered and escaped by the server's template
      const summary = outcome.querySelector('[data-samenvatting]');
      status.textContent = summary ? summary.textContent.replace(/\s+/g, ' ').trim() : '';
      const list = outcome.querySelector('#terugkijken-lijst');
      if (focusList && list) {
        list.focus(); // another page of the list: start reading there
      }
    } catch (problem) {
      fail(texts.failed);
    } finally {
      busyNote.remove();
      busy = false;
      button.disabled = false;
      panel.removeAttribute('aria-busy');
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    replay(0, false);
  });

  outcome.addEventListener('click', (event) => {
    const page = event.target.closest('button[data-vanaf]');
    if (page) {
      replay(Number(page.dataset.vanaf) || 0, true);
    }
    const link = event.target.closest('[data-element]');
    if (link && showElement && showElement(link.dataset.element)) {
      event.preventDefault(); // a problem's element, selected in the table
    }
  });

  return {
    /** The table changed after a replay: say that the outcome shown is of the table before. */
    tableChanged() {
      if (outcome.childElementCount && !outcome.querySelector('.dmn-replay-stale')) {
        const note = message(texts.changed);
        note.classList.add('dmn-replay-stale');
        outcome.prepend(note);
      }
    }
  };
}

/**
 * Fetch the panel from ``url`` and place it after ``after``. ``saveXML`` gives the table as it
 * is now, ``showElement(id)`` selects the rule or input a problem names, ``flush`` (optional)
 * writes out input the editor is still waiting on. Returns the panel's handle (with
 * tableChanged()), or null when the table does not decide the category.
 */
export async function connectReplay({ url, after, name, saveXML, showElement, flush }) {
  const panel = await fetchPanel(url);
  if (!panel) {
    return null;
  }
  after.after(panel);
  return wire(panel, { name, saveXML, flush, showElement });
}
