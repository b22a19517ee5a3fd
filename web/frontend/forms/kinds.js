// The kind of a question (its widget and the schema that goes with it), its choices (kept equal
// to the schema's enum), its limits and its show_if condition.
import {
  CHOICE_WIDGETS, HIDDEN_TYPES, STRING_LENGTHS, YES_NO, copy, isObject, propOf, schemaType, setText, widgetOf
} from './model';

const NUMERIC = new Set(['number', 'integer']);
const LIMITS = {
  text: ['minLength', 'maxLength'],
  textarea: ['minLength', 'maxLength'],
  email: ['maxLength'],
  tel: ['maxLength'],
  postcode: ['maxLength'],
  number: ['minimum', 'maximum'],
  money: ['minimum', 'maximum'],
  checkboxes: ['minItems', 'maxItems'],
  file: ['maxItems']
};

const defaultChoices = () => [
  { value: 'optie_1', label: { nl: 'Optie 1', en: 'Option 1' } },
  { value: 'optie_2', label: { nl: 'Optie 2', en: 'Option 2' } }
];

/** The choices of a choice field: its options, or its enum values when it has none. */
export function choicesOf(form, name) {
  const field = form.fields[name];
  if (Array.isArray(field.options)) {
    return field.options;
  }
  const prop = propOf(form, name);
  const source = widgetOf(form, name) === 'checkboxes' ? prop.items : prop;
  if (isObject(source) && Array.isArray(source.enum)) {
    return source.enum.map((value) => ({ value, label: {} }));
  }
  return schemaType(source) === 'boolean' ? copy(YES_NO) : [];
}

/** The JSON type of a choice field's values (of its items for checkboxes). */
export function choiceType(form, name) {
  const prop = propOf(form, name);
  return schemaType(widgetOf(form, name) === 'checkboxes' ? prop.items : prop) || 'string';
}

function pick(target, source, keys) {
  keys.forEach((key) => {
    if (key in source) {
      target[key] = source[key];
    }
  });
  return target;
}

function choiceSchema(form, name, widget) {
  const field = form.fields[name];
  const wasChoice = CHOICE_WIDGETS.has(widgetOf(form, name)) && !field.options_from;
  let choices = wasChoice ? copy(choicesOf(form, name)) : null;
  let type = wasChoice ? choiceType(form, name) : 'string';
  if (!choices || !choices.length || (type === 'boolean' && widget !== 'radio')) {
    choices = defaultChoices();
    type = 'string';
  }
  if (field.options_from) {
    delete field.options;
    return { type: 'string' };
  }
  field.options = choices.map((choice) => ({ value: choice.value, label: isObject(choice.label) ? choice.label : {} }));
  const values = choices.map((choice) => choice.value);
  return widget === 'checkboxes'
    ? { type: 'array', items: { type, enum: values }, uniqueItems: true }
    : { type, enum: values };
}

function schemaFor(form, name, widget) {
  const old = propOf(form, name);
  const kind = schemaType(old);
  if (CHOICE_WIDGETS.has(widget)) return choiceSchema(form, name, widget);
  if (widget === 'checkbox') return { type: 'boolean' };
  if (widget === 'file') return { type: 'array', items: { type: 'string' }, maxItems: old.maxItems ?? 10 };
  if (widget === 'date') return { type: 'string', format: 'date' };
  if (widget === 'hidden') return { type: HIDDEN_TYPES.includes(kind) ? kind : 'string' };
  if (widget === 'number' || widget === 'money') {
    return pick({ type: NUMERIC.has(kind) ? kind : 'number' }, old, ['minimum', 'maximum']);
  }
  const kept = kind === 'string' && !old.format ? old : {};
  const text = pick({ type: 'string' }, kept, ['minLength']);
  text.maxLength = 'maxLength' in kept ? kept.maxLength : STRING_LENGTHS[widget] || 200;
  return text;
}

/** Make a question another kind: its schema changes with it, keeping what still fits. */
export function setWidget(form, name, widget) {
  const field = form.fields[name];
  const prop = schemaFor(form, name, widget);
  if (!CHOICE_WIDGETS.has(widget)) {
    delete field.options;
    delete field.options_from;
  }
  form.schema.properties[name] = prop;
  field.widget = widget;
}

function syncEnum(form, name) {
  const field = form.fields[name];
  const values = field.options.map((option) => option.value);
  const prop = form.schema.properties[name];
  if (widgetOf(form, name) === 'checkboxes') {
    prop.items = isObject(prop.items) ? prop.items : { type: 'string' };
    prop.items.enum = values;
  } else {
    prop.enum = values;
  }
}

function ownChoices(form, name) {
  const field = form.fields[name];
  field.options = choicesOf(form, name);
  if (!isObject(form.schema.properties[name])) {
    form.schema.properties[name] = { type: 'string' };
  }
  return field.options;
}

/** A value for a choice as typed: a number for a numeric field. */
export function typedValue(type, text) {
  if (NUMERIC.has(type) && text.trim() !== '' && Number.isFinite(Number(text))) {
    return Number(text);
  }
  return text;
}

export function addChoice(form, name) {
  const options = ownChoices(form, name);
  const numeric = NUMERIC.has(choiceType(form, name));
  let number = options.length + 1;
  const taken = (value) => options.some((option) => option.value === value);
  while (taken(numeric ? number : `optie_${number}`)) {
    number += 1;
  }
  options.push({ value: numeric ? number : `optie_${number}`, label: { nl: `Optie ${number}`, en: `Option ${number}` } });
  syncEnum(form, name);
  return options.length - 1;
}

export function removeChoice(form, name, index) {
  ownChoices(form, name).splice(index, 1);
  syncEnum(form, name);
}

export function moveChoice(form, name, index, delta) {
  const options = ownChoices(form, name);
  const target = index + delta;
  if (target < 0 || target >= options.length) {
    return null;
  }
  [options[index], options[target]] = [options[target], options[index]];
  syncEnum(form, name);
  return target;
}

/** Change a choice's value; a show_if that waited for the old value waits for the new one. */
export function setChoiceValue(form, name, index, text) {
  const options = ownChoices(form, name);
  const old = options[index].value;
  const value = typedValue(choiceType(form, name), text);
  options[index].value = value;
  syncEnum(form, name);
  Object.values(form.fields).forEach((field) => {
    if (isObject(field.show_if) && field.show_if.field === name && field.show_if.equals === old) {
      field.show_if.equals = value;
    }
  });
}

export function setChoiceLabel(form, name, index, lang, text) {
  const options = ownChoices(form, name);
  setText(options[index], 'label', lang, text, true);
  syncEnum(form, name);
}

// --- limits ------------------------------------------------------------------------------------
export function limitsOf(widget) {
  return LIMITS[widget] || [];
}

/** Set a limit from what was typed ('' removes it); false when it is no number. */
export function setLimit(form, name, key, text) {
  const prop = form.schema.properties[name];
  const typed = text.trim().replace(',', '.');
  if (typed === '') {
    delete prop[key];
    return true;
  }
  if (!Number.isFinite(Number(typed))) {
    return false;
  }
  prop[key] = Number(typed);
  return true;
}

// --- show_if -----------------------------------------------------------------------------------
/** What a show_if on ``target`` can wait for: [{value, label}] to choose from, or null (typed). */
export function conditionValues(form, target, texts) {
  const widget = widgetOf(form, target);
  if (widget === 'checkbox') {
    return [{ value: true, label: texts.ticked }, { value: false, label: texts.notTicked }];
  }
  if (CHOICE_WIDGETS.has(widget) && !form.fields[target].options_from) {
    return choicesOf(form, target).map((choice) => ({
      value: choice.value,
      label: choice.label && (choice.label.nl || choice.label.en) ? `${choice.label.nl || choice.label.en} (${choice.value})`
        : String(choice.value)
    }));
  }
  return null;
}

export function setCondition(form, name, target, texts) {
  const field = form.fields[name];
  if (!target) {
    delete field.show_if;
    return;
  }
  const values = conditionValues(form, target, texts);
  field.show_if = { field: target, equals: values && values.length ? values[0].value : '' };
}

export function setConditionValue(form, name, value) {
  form.fields[name].show_if.equals = value;
}

export function conditionType(form, target) {
  return choiceType(form, target);
}
