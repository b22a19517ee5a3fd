// Drafts kept on the server, per owner, for the editor pages: when the page opens it offers the
// owner's draft of the file ("Verder met het concept" / "Weggooien"), "Concept bewaren" keeps
// what is in the editor without putting it into use, and once the file went into use its draft
// is thrown away. Leaving the page asks only about changes kept nowhere. The server's answers
// carry the sentences to show (translated there).
import { localAnswer, showAnswer } from './page';

function csrfToken(form) {
  return new FormData(form).get('csrf_token') || '';
}

async function call(url, method, form, body) {
  const headers = { Accept: 'application/json', 'X-CSRFToken': csrfToken(form) };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  const response = await fetch(url, {
    method,
    credentials: 'same-origin',
    headers,
    body: body === undefined ? undefined : JSON.stringify(body)
  });
  if (!(response.headers.get('Content-Type') || '').includes('json')) {
    // After the idle timeout the login page answers: the changes are still in the editor.
    const problem = new Error('no JSON answer');
    problem.loggedOut = true;
    throw problem;
  }
  return { ok: response.ok, answer: await response.json() };
}

function button(text, kind) {
  const element = document.createElement('button');
  element.type = 'button';
  element.className = `utrecht-button utrecht-button--${kind}-action`;
  element.textContent = text;
  return element;
}

function problemText(problem, texts) {
  return problem && problem.loggedOut ? texts.loggedOut : texts.failed;
}

function addSaveButton(context) {
  const { url, form, outcome, editor, changes, texts, offer } = context;
  const save = button(texts.save, 'secondary');
  save.dataset.concept = 'bewaren';
  (form.querySelector('.utrecht-button-group') || form).prepend(save);
  save.addEventListener('click', async () => {
    if (editor.flush) {
      editor.flush(); // what was typed a moment ago belongs in the draft
    }
    save.disabled = true;
    form.setAttribute('aria-busy', 'true');
    try {
      const snapshot = changes.snapshot();
      const { ok, answer } = await call(url, 'PUT', form, { content: await editor.saveXML() });
      if (ok) {
        changes.markSaved('draft', snapshot);
        offer.remove();
      }
      showAnswer(outcome, localAnswer(ok ? answer.message : (answer.error || texts.failed), ok ? 'ok' : 'error'));
    } catch (problem) {
      showAnswer(outcome, localAnswer(problemText(problem, texts)));
    } finally {
      save.disabled = false;
      form.removeAttribute('aria-busy');
    }
  });
}

function offerDraft(context, draft) {
  const { url, form, outcome, changes, texts, offer, load } = context;
  offer.className = 'utrecht-alert utrecht-alert--info';
  offer.id = 'concept';
  const sentence = document.createElement('p');
  sentence.className = 'utrecht-paragraph';
  sentence.textContent = texts.offer.replace('{time}', draft.time);
  const group = document.createElement('div');
  group.className = 'utrecht-button-group';
  const resume = button(texts.continue, 'primary');
  const discard = button(texts.discard, 'secondary');
  group.append(resume, discard);
  offer.append(sentence, group);
  form.before(offer);

  resume.addEventListener('click', async () => {
    try {
      await load(draft.content);
    } catch (problem) {
      showAnswer(outcome, localAnswer(texts.openFailed));
      return;
    }
    changes.markSaved(); // the editor now holds the draft as it was kept …
    changes.markDiffers('inUse'); // … which is not what is in use
    offer.remove();
    showAnswer(outcome, localAnswer(texts.resumed, 'ok'));
  });
  discard.addEventListener('click', async () => {
    try {
      const { answer } = await call(url, 'DELETE', form);
      offer.remove();
      showAnswer(outcome, localAnswer(answer.message || texts.discarded, 'ok'));
    } catch (problem) {
      showAnswer(outcome, localAnswer(problemText(problem, texts)));
    }
  });
}

/**
 * Connect the server's drafts to an editor page.
 *
 * url: the draft's address (the editor's data-concepten); form: the save form (CSRF token,
 * buttons; it sends 'editor:deployed', see page.js); outcome: where answers are shown;
 * editor: saveXML() and maybe flush(); changes: the editor's changeTracker (shared/changes.js);
 * load(xml): a promise that puts a draft's content into the editor.
 * Sets editor.hasUnsavedWork (leaving asks only about changes that are kept nowhere). Without
 * an answer from the server the editor works as before, without drafts.
 */
export async function connectDrafts({ url, form, outcome, editor, changes, load }) {
  // eslint-disable-next-line no-param-reassign
  editor.hasUnsavedWork = () => changes.isDirty('draft');
  if (!url || !form || !window.fetch) {
    return;
  }
  let found;
  try {
    found = await call(url, 'GET', form);
  } catch (problem) {
    return;
  }
  if (!found.ok || !found.answer.texts) {
    return;
  }
  const offer = document.createElement('div');
  offer.setAttribute('role', 'status');
  const context = { url, form, outcome, editor, changes, load, texts: found.answer.texts, offer };
  addSaveButton(context);
  form.addEventListener('editor:deployed', () => {
    offer.remove();
    call(url, 'DELETE', form).catch(() => {}); // the server may have done so already
  });
  if (found.answer.draft) {
    offerDraft(context, found.answer.draft);
  }
}
