// The process owner's form editor: the questions of a form (forms/README.md) edited one by one or
// as JSON, with a live preview drawn by the server, checked and put into use like a diagram.
import './form-editor.css';

import { connectDrafts } from '../shared/drafts';
import { connectSaving, failed } from '../shared/page';
import { el, fill, showError, textField } from './dom';
import { shapeProblem } from './model';
import { previewer } from './preview';
import { questionEditor } from './steps';

const stringify = (form) => `${JSON.stringify(form, null, 2)}\n`;

function normal(text) {
  try {
    return stringify(JSON.parse(text));
  } catch (problem) {
    return text;
  }
}

/** Where JSON.parse stopped, as "line, character" in the page's words. */
function jsonError(texts, text, error) {
  const message = String(error && error.message);
  const lineColumn = /line (\d+) column (\d+)/.exec(message);
  if (lineColumn) {
    return fill(texts.jsonInvalidAt, { line: lineColumn[1], column: lineColumn[2] });
  }
  const position = /position (\d+)/.exec(message);
  if (position) {
    const before = text.slice(0, Number(position[1]));
    return fill(texts.jsonInvalidAt, { line: before.split('\n').length, column: before.length - before.lastIndexOf('\n') });
  }
  return texts.jsonInvalid;
}

/** The form in a JSON text, or why the question editor cannot show it. */
function read(texts, text) {
  let form;
  try {
    form = JSON.parse(text);
  } catch (error) {
    return { error: jsonError(texts, text, error) };
  }
  const shape = shapeProblem(form);
  if (shape) {
    return { error: fill(texts.jsonShape, { detail: fill(texts[shape[0]], shape[1] || {}) }) };
  }
  return { form };
}

/** The changes kept where, for a form (compared as text: the form editor has no command stack). */
function textChanges(current, initial) {
  const saved = { inUse: initial, draft: initial };
  const marks = (mark) => (mark === undefined ? Object.keys(saved) : [mark]);
  return {
    isDirty: (mark = 'inUse') => current() !== saved[mark],
    snapshot: () => current(),
    markSaved: (mark, snapshot) => marks(mark).forEach((name) => {
      saved[name] = snapshot === undefined ? current() : snapshot;
    }),
    markDiffers: (mark) => marks(mark).forEach((name) => { saved[name] = null; })
  };
}

function start(root) {
  const texts = JSON.parse(root.dataset.texts || '{}');
  const { name } = root.dataset;
  const saveForm = document.getElementById('editor-opslaan');
  const token = saveForm.querySelector('input[name=csrf_token]').value;
  const state = { form: null, view: 'vragen' };
  const ids = new WeakMap();
  let counter = 0;
  let pending = null;
  let pointerDown = false;

  const visual = el('div', { id: 'fe-vragen', class: 'fe-visual' });
  const message = el('p', { class: 'utrecht-paragraph fe-message', role: 'status', id: 'fe-melding' });
  const jsonField = textField({
    id: 'fe-json-tekst',
    label: texts.jsonLabel,
    help: texts.jsonHelp,
    multiline: true,
    errorPrefix: texts.errorPrefix,
    attrs: { spellcheck: 'false', autocomplete: 'off', rows: 30 },
    onInput: (value, control) => {
      showError(control, '');
      preview.schedule(); // eslint-disable-line no-use-before-define
    }
  });
  const jsonControl = jsonField.querySelector('textarea');
  const jsonView = el('div', { id: 'fe-json', class: 'fe-json', hidden: true }, jsonField);
  const currentText = () => (state.view === 'json' ? jsonControl.value : stringify(state.form));
  const saved = root.dataset.nieuw ? '' : normal(root.dataset.json);

  const preview = previewer({
    url: root.dataset.previewUrl,
    region: root.querySelector('[data-form-preview]'),
    status: document.getElementById('fe-voorbeeld-status'),
    language: document.getElementById('fe-voorbeeld-taal'),
    token,
    name,
    currentText,
    texts
  });

  const ctx = {
    form: null,
    texts,
    id(object) {
      if (!ids.has(object)) {
        counter += 1;
        ids.set(object, `fe-${counter}`);
      }
      return ids.get(object);
    },
    nameOf(field) {
      return Object.keys(ctx.form.fields).find((key) => ctx.form.fields[key] === field);
    },
    touched() {
      preview.schedule();
    },
    say(text) {
      message.textContent = text;
    },
    /** Draw the questions again (after the click that may be under way), then focus ``focusId``
     * or whatever has the focus by then, and say ``text``. */
    rebuild(focusId, text) {
      pending = { focusId: focusId || (pending && pending.focusId), text: text || (pending && pending.text) };
      preview.schedule();
      if (!pointerDown) {
        setTimeout(flush); // eslint-disable-line no-use-before-define
      }
    }
  };

  function drawVisual() {
    ctx.form = state.form;
    visual.replaceChildren(...questionEditor(ctx));
  }

  function flush() {
    if (!pending) {
      return;
    }
    const { focusId, text } = pending;
    pending = null;
    const active = document.activeElement;
    const target = focusId || (active && active.id);
    // Someone typing on in the next box keeps their place (and what they selected) in it.
    const keep = !focusId && active && typeof active.selectionStart === 'number'
      ? [active.selectionStart, active.selectionEnd, active.selectionDirection] : null;
    drawVisual();
    ctx.say(text || '');
    const node = target ? document.getElementById(target) : null;
    if (node) {
      node.focus();
      if (keep && typeof node.setSelectionRange === 'function') {
        node.setSelectionRange(...keep);
      }
    }
  }
  document.addEventListener('pointerdown', () => { pointerDown = true; }, true);
  ['pointerup', 'pointercancel'].forEach((type) => document.addEventListener(type, () => {
    pointerDown = false;
    setTimeout(flush);
  }, true));

  const toggles = {};
  function show(view) {
    state.view = view;
    visual.hidden = view !== 'vragen';
    jsonView.hidden = view !== 'json';
    Object.entries(toggles).forEach(([key, node]) => node.setAttribute('aria-pressed', String(key === view)));
  }

  function switchTo(view) {
    if (view === state.view) {
      return;
    }
    if (view === 'json') {
      flush();
      jsonControl.value = stringify(state.form);
      showError(jsonControl, '');
      show('json');
      return;
    }
    const found = read(texts, jsonControl.value);
    if (found.error) {
      showError(jsonControl, found.error);
      jsonControl.focus();
      return;
    }
    state.form = found.form;
    drawVisual();
    show('vragen');
  }

  ['vragen', 'json'].forEach((view) => {
    toggles[view] = el('button', {
      type: 'button',
      id: `fe-weergave-${view}`,
      class: 'utrecht-button utrecht-button--secondary-action',
      'aria-pressed': 'false',
      onclick: () => switchTo(view)
    }, view === 'json' ? texts.viewJson : texts.viewVisual);
  });
  document.getElementById('fe-werkplaats').append(
    el('div', { class: 'fe-views', role: 'group', 'aria-label': texts.views }, toggles.vragen, toggles.json),
    message, visual, jsonView
  );

  const first = read(texts, root.dataset.json);
  if (first.error) {
    jsonControl.value = root.dataset.json;
    show('json');
    showError(jsonControl, first.error);
  } else {
    state.form = first.form;
    drawVisual();
    show('vragen');
  }

  const changes = textChanges(() => normal(currentText()), saved);
  const editor = {
    saveXML: async () => currentText(),
    isDirty: () => changes.isDirty('inUse'),
    markSaved: () => changes.markSaved(),
    showElement: () => false,
    flush
  };
  const outcome = document.getElementById('editor-uitkomst');
  connectSaving({ form: saveForm, outcome, texts, name, editor });
  connectDrafts({
    url: root.dataset.concepten,
    form: saveForm,
    outcome,
    editor,
    changes,
    load: async (text) => {
      const found = read(texts, text);
      if (found.error) {
        jsonControl.value = text;
        show('json');
        showError(jsonControl, found.error);
      } else {
        state.form = found.form;
        drawVisual();
        show('vragen');
      }
      preview.schedule();
    }
  });
  root.setAttribute('data-geladen', 'ja');
}

const root = document.getElementById('formulier-editor');
if (root) {
  try {
    start(root);
  } catch (error) {
    failed(root, error);
  }
}
