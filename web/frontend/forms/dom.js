// Small DOM helpers for the form editor: every control has a visible label, its hint and its
// error are tied to it with aria-describedby, and everything is a native, keyboard-usable control.

/** An element with attributes (``text`` sets its text, ``on<event>`` adds a listener). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  Object.entries(attrs).forEach(([key, value]) => {
    if (value === undefined || value === null || value === false) {
      return;
    }
    if (key === 'class') {
      node.className = value;
    } else if (key === 'text') {
      node.textContent = value;
    } else if (key.startsWith('on')) {
      node.addEventListener(key.slice(2), value);
    } else {
      node.setAttribute(key, value === true ? '' : value);
    }
  });
  node.append(...children.flat().filter((child) => child !== null && child !== undefined && child !== false));
  return node;
}

/** A text with {placeholders} filled in. */
export function fill(template, values = {}) {
  return String(template).replace(/{(\w+)}/g, (all, key) => (key in values ? String(values[key]) : all));
}

function describedBy(control) {
  const ids = [control.dataset.help, control.dataset.errorShown].filter(Boolean);
  if (ids.length) {
    control.setAttribute('aria-describedby', ids.join(' '));
  } else {
    control.removeAttribute('aria-describedby');
  }
}

/** Show (or with an empty message, hide) the error of a control made by this module. */
export function showError(control, message) {
  const field = control.closest('.fe-field');
  const error = field ? field.querySelector(`[id="${control.id}-fout"]`) : null;
  if (!error) {
    return;
  }
  error.querySelector('.fe-error-text').textContent = message || '';
  error.hidden = !message;
  if (message) {
    control.setAttribute('aria-invalid', 'true');
    control.dataset.errorShown = error.id;
  } else {
    control.removeAttribute('aria-invalid');
    delete control.dataset.errorShown;
  }
  describedBy(control);
}

function wrap(kind, id, label, help, control, errorPrefix) {
  const helpNode = help ? el('div', { class: 'utrecht-form-field__description utrecht-form-field-description', id: `${id}-uitleg` },
    el('p', { class: 'utrecht-paragraph', text: help })) : null;
  if (help) {
    control.dataset.help = `${id}-uitleg`;
  }
  describedBy(control);
  const error = el('div', { class: 'utrecht-form-field__error-message utrecht-form-field-error-message', id: `${id}-fout`, hidden: true },
    el('p', { class: 'utrecht-paragraph' }, el('span', { class: 'loket-visually-hidden', text: errorPrefix }),
      el('span', { class: 'fe-error-text' })));
  return el('div', { class: `utrecht-form-field utrecht-form-field--${kind} loket-field fe-field` },
    el('div', { class: 'utrecht-form-field__label' }, el('label', { class: 'utrecht-form-label', for: id, text: label })),
    helpNode, error, el('div', { class: 'utrecht-form-field__input' }, control));
}

/** A labelled text box (``multiline``: a textarea); ``onInput`` on every key, ``onChange`` when left. */
export function textField({ id, label, value, help, multiline, type = 'text', lang, onInput, onChange, errorPrefix,
  attrs = {} }) {
  const control = multiline
    ? el('textarea', { class: 'utrecht-textarea utrecht-textarea--html-textarea', id, rows: 3, lang, ...attrs })
    : el('input', { class: 'utrecht-textbox utrecht-textbox--html-input', id, type, lang, ...attrs });
  control.value = value ?? '';
  if (onInput) {
    control.addEventListener('input', () => onInput(control.value, control));
  }
  if (onChange) {
    control.addEventListener('change', () => onChange(control.value, control));
  }
  return wrap('text', id, label, help, control, errorPrefix || '');
}

/** A labelled select of [{value, label}]; ``onChange`` gets the chosen entry's index. */
export function selectField({ id, label, options, selected, help, onChange }) {
  const control = el('select', { class: 'utrecht-select utrecht-select--html-select', id },
    options.map((option, index) => el('option', { value: String(index), text: option.label })));
  control.value = String(Math.max(0, selected));
  control.addEventListener('change', () => onChange(Number(control.value), control));
  return wrap('select', id, label, help, control, '');
}

/** A labelled checkbox. */
export function checkboxField({ id, label, checked, onChange }) {
  const control = el('input', { class: 'utrecht-checkbox utrecht-checkbox--html-input', type: 'checkbox', id });
  control.checked = Boolean(checked);
  control.addEventListener('change', () => onChange(control.checked, control));
  return el('div', { class: 'utrecht-form-field utrecht-form-field--checkbox loket-field fe-field' },
    el('div', { class: 'loket-choice-row' },
      el('div', { class: 'utrecht-form-field__input' }, control),
      el('div', { class: 'utrecht-form-field__label utrecht-form-field__label--checkbox' },
        el('label', { class: 'utrecht-form-label utrecht-form-label--checkbox', for: id, text: label }))));
}

/**
 * A button whose accessible name is its text plus ``context`` (hidden, e.g. which question);
 * ``inactive`` keeps it focusable but marks it as doing nothing (aria-disabled).
 */
export function button({ id, text, context, onClick, kind = 'secondary-action', inactive = false }) {
  const node = el('button', { type: 'button', class: `utrecht-button utrecht-button--${kind}`, id,
    'aria-disabled': inactive ? 'true' : null },
  text, context ? el('span', { class: 'loket-visually-hidden', text: ` (${context})` }) : null);
  node.addEventListener('click', (event) => {
    if (node.getAttribute('aria-disabled') !== 'true') {
      onClick(event);
    }
  });
  return node;
}
