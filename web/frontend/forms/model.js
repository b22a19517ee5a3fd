// The form editor's changes to a form definition (the JSON of forms/README.md). Each one changes
// the form in place and keeps its parts in step: schema.properties, schema.required, fields,
// the steps' lists, a choice field's options and the schema's enum, and show_if conditions.
// The server's check (forms.find_problems and the bundle check) stays the authority.

export const WIDGETS = ['text', 'textarea', 'email', 'tel', 'postcode', 'number', 'money', 'date', 'select',
  'radio', 'checkbox', 'checkboxes', 'file', 'hidden'];
export const CHOICE_WIDGETS = new Set(['select', 'radio', 'checkboxes']);
export const NAME = /^[a-z][a-z0-9_]*$/;
export const STEP_ID = /^[a-z0-9][a-z0-9_-]*$/;

const STRING_LENGTHS = { text: 200, textarea: 2000, email: 254, tel: 20, postcode: 7 };
const HIDDEN_TYPES = ['string', 'integer', 'number', 'boolean'];
const KEY_ORDER = ['id', 'title', 'description', 'steps', 'schema', 'fields'];
const NEW_LABEL = { nl: 'Nieuwe vraag', en: 'New question' };
const YES_NO = [{ value: true, label: { nl: 'Ja', en: 'Yes' } }, { value: false, label: { nl: 'Nee', en: 'No' } }];

export const isObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);
const copy = (value) => JSON.parse(JSON.stringify(value));

/** Why the question editor cannot show this JSON (a text key and its values), or null. */
export function shapeProblem(form) {
  if (!isObject(form)) {
    return ['shapeObject'];
  }
  const { schema } = form;
  if (!isObject(schema) || !isObject(schema.properties) || ('required' in schema && !Array.isArray(schema.required))) {
    return ['shapeSchema'];
  }
  if (!isObject(form.fields)) {
    return ['shapeFields'];
  }
  const broken = Object.keys(form.fields).find((name) => {
    const field = form.fields[name];
    return !isObject(field) || ('options' in field && !(Array.isArray(field.options) && field.options.every(isObject)));
  });
  if (broken !== undefined) {
    return ['shapeField', { name: broken }];
  }
  const stepOk = (step) => isObject(step) && typeof step.id === 'string' && Array.isArray(step.fields)
    && step.fields.every((name) => typeof name === 'string');
  if ('steps' in form && !(Array.isArray(form.steps) && form.steps.every(stepOk))) {
    return ['shapeSteps'];
  }
  return null;
}

// --- texts -------------------------------------------------------------------------------------
/** The text in ``lang`` of a translated text ({nl, en}; a bare string is Dutch). */
export function textOf(value, lang) {
  if (typeof value === 'string') {
    return lang === 'nl' ? value : '';
  }
  return isObject(value) && typeof value[lang] === 'string' ? value[lang] : '';
}

/** Set one language of ``owner[key]``; an optional text without any language is removed. */
export function setText(owner, key, lang, text, keepEmpty = false) {
  let value = owner[key];
  if (typeof value === 'string') {
    value = { nl: value };
  }
  value = isObject(value) ? value : {};
  if (text) {
    value[lang] = text;
  } else {
    delete value[lang];
  }
  if (keepEmpty || Object.keys(value).length) {
    owner[key] = value;
  } else {
    delete owner[key];
  }
}

// --- schema ------------------------------------------------------------------------------------
export function schemaType(prop) {
  const declared = isObject(prop) ? prop.type : undefined;
  if (Array.isArray(declared)) {
    return declared.find((kind) => kind !== 'null' && typeof kind === 'string') || null;
  }
  return typeof declared === 'string' ? declared : null;
}

export function propOf(form, name) {
  const prop = form.schema.properties[name];
  return isObject(prop) ? prop : {};
}

function ownProp(form, name) {
  if (!isObject(form.schema.properties[name])) {
    form.schema.properties[name] = {};
  }
  return form.schema.properties[name];
}

/** The widget a field shows: its own, or the one the loket guesses from the schema. */
export function widgetOf(form, name) {
  const { widget } = form.fields[name];
  if (typeof widget === 'string') {
    return widget;
  }
  const prop = propOf(form, name);
  const kind = schemaType(prop);
  if (kind === 'boolean') return 'checkbox';
  if (kind === 'number' || kind === 'integer') return 'number';
  if (kind === 'array') return 'checkboxes';
  if ('enum' in prop) return 'select';
  if (prop.format === 'date') return 'date';
  return prop.format === 'email' ? 'email' : 'text';
}

function renameKey(object, old, next) {
  return Object.fromEntries(Object.entries(object).map(([key, value]) => [key === old ? next : key, value]));
}

function tidyOrder(form) {
  const keys = [...KEY_ORDER.filter((key) => key in form), ...Object.keys(form).filter((key) => !KEY_ORDER.includes(key))];
  keys.forEach((key) => {
    const value = form[key];
    delete form[key];
    form[key] = value;
  });
}

// --- steps -------------------------------------------------------------------------------------
export const hasSteps = (form) => Array.isArray(form.steps);

/** The questions per step (in step order); questions in no step come last. */
export function groups(form) {
  const names = Object.keys(form.fields);
  if (!hasSteps(form)) {
    return [{ step: null, index: -1, names }];
  }
  const placed = new Set(form.steps.flatMap((step) => step.fields));
  const found = form.steps.map((step, index) => ({ step, index, names: step.fields.filter((name) => name in form.fields) }));
  const unplaced = names.filter((name) => !placed.has(name));
  if (unplaced.length) {
    found.push({ step: null, index: -2, names: unplaced, unplaced: true });
  }
  return found;
}

export function stepIndexOf(form, name) {
  return hasSteps(form) ? form.steps.findIndex((step) => step.fields.includes(name)) : -1;
}

function uniqueStepId(form) {
  let number = form.steps.length + 1;
  while (form.steps.some((step) => step.id === `stap-${number}`)) {
    number += 1;
  }
  return `stap-${number}`;
}

/** Add a step at the end (a form of one page first gets a step holding all its questions). */
export function addStep(form) {
  if (!hasSteps(form)) {
    const title = isObject(form.title) ? copy(form.title) : { nl: textOf(form.title, 'nl') || 'Stap 1' };
    form.steps = [{ id: 'stap-1', title, fields: Object.keys(form.fields) }];
    tidyOrder(form);
  }
  form.steps.push({ id: uniqueStepId(form), title: { nl: 'Nieuwe stap', en: 'New step' }, fields: [] });
  return form.steps.length - 1;
}

/** Remove an empty step (the last one makes the form one page again); an error key otherwise. */
export function removeStep(form, index) {
  if (form.steps[index].fields.some((name) => name in form.fields)) {
    return 'stepNotEmpty';
  }
  form.steps.splice(index, 1);
  if (!form.steps.length) {
    delete form.steps;
  }
  return null;
}

function swap(list, index, delta) {
  const target = index + delta;
  if (index < 0 || target < 0 || target >= list.length) {
    return null;
  }
  [list[index], list[target]] = [list[target], list[index]];
  return target;
}

export function moveStep(form, index, delta) {
  return swap(form.steps, index, delta);
}

export function setStepId(form, index, id) {
  if (!STEP_ID.test(id)) {
    return 'stepIdInvalid';
  }
  if (form.steps.some((step, other) => other !== index && step.id === id)) {
    return 'stepIdTaken';
  }
  form.steps[index].id = id;
  return null;
}

// --- questions ---------------------------------------------------------------------------------
function uniqueName(form) {
  let number = 1;
  while (`vraag_${number}` in form.fields || `vraag_${number}` in form.schema.properties) {
    number += 1;
  }
  return `vraag_${number}`;
}

/** A new short text question at the end of a step (or of the form); its name. */
export function addQuestion(form, stepIndex) {
  const name = uniqueName(form);
  form.schema.properties[name] = { type: 'string', maxLength: STRING_LENGTHS.text };
  form.fields[name] = { label: { ...NEW_LABEL }, widget: 'text' };
  if (hasSteps(form) && form.steps[stepIndex]) {
    form.steps[stepIndex].fields.push(name);
  }
  return name;
}

/** Remove a question everywhere; the names of the questions whose show_if named it (removed too). */
export function removeQuestion(form, name) {
  delete form.fields[name];
  delete form.schema.properties[name];
  if (Array.isArray(form.schema.required)) {
    form.schema.required = form.schema.required.filter((other) => other !== name);
  }
  if (hasSteps(form)) {
    form.steps.forEach((step) => { step.fields = step.fields.filter((other) => other !== name); });
  }
  const dependants = Object.keys(form.fields).filter((other) => isObject(form.fields[other].show_if)
    && form.fields[other].show_if.field === name);
  dependants.forEach((other) => { delete form.fields[other].show_if; });
  return dependants;
}

/** Give a question another name everywhere it is named; an error key when the name cannot be used. */
export function renameQuestion(form, old, next) {
  if (next === old) {
    return null;
  }
  if (!NAME.test(next)) {
    return 'nameInvalid';
  }
  if (next in form.fields || next in form.schema.properties) {
    return 'nameTaken';
  }
  form.fields = renameKey(form.fields, old, next);
  form.schema.properties = renameKey(form.schema.properties, old, next);
  if (Array.isArray(form.schema.required)) {
    form.schema.required = form.schema.required.map((other) => (other === old ? next : other));
  }
  if (hasSteps(form)) {
    form.steps.forEach((step) => { step.fields = step.fields.map((other) => (other === old ? next : other)); });
  }
  Object.values(form.fields).forEach((field) => {
    if (isObject(field.show_if) && field.show_if.field === old) {
      field.show_if.field = next;
    }
  });
  return null;
}

/** Move a question up (-1) or down (+1) within its step; its new place (0-based) or null. */
export function moveQuestion(form, name, delta) {
  const stepIndex = stepIndexOf(form, name);
  if (stepIndex >= 0) {
    const { fields } = form.steps[stepIndex];
    return swap(fields, fields.indexOf(name), delta);
  }
  const names = Object.keys(form.fields);
  const target = swap(names, names.indexOf(name), delta);
  if (target !== null) {
    form.fields = Object.fromEntries(names.map((key) => [key, form.fields[key]]));
  }
  return target;
}

export function moveToStep(form, name, stepIndex) {
  form.steps.forEach((step) => { step.fields = step.fields.filter((other) => other !== name); });
  form.steps[stepIndex].fields.push(name);
}

export function isRequired(form, name) {
  return Array.isArray(form.schema.required) && form.schema.required.includes(name);
}

export function setRequired(form, name, required) {
  const list = (Array.isArray(form.schema.required) ? form.schema.required : []).filter((other) => other !== name);
  form.schema.required = required ? [...list, name] : list;
}

export { copy, NEW_LABEL, STRING_LENGTHS, HIDDEN_TYPES, YES_NO };
