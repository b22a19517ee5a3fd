// One question of the form editor: its name, kind, whether it is required, its texts (Dutch and
// English), limits, choices, show_if condition, step and place. Handlers look the question up by
// its field object at the moment they run, so a rename never leaves a handler on an old name.
import { button, checkboxField, el, fill, selectField, showError, textField } from './dom';
import {
  CHOICE_WIDGETS, WIDGETS, hasSteps, isRequired, moveQuestion, moveToStep, propOf, removeQuestion, renameQuestion,
  setRequired, setText, stepIndexOf, textOf, widgetOf
} from './model';
import {
  addChoice, choiceType, choicesOf, conditionType, conditionValues, limitsOf, moveChoice, removeChoice, setChoiceLabel,
  setChoiceValue, setCondition, setConditionValue, setLimit, setWidget, typedValue
} from './kinds';

/** A text in Dutch and English, side by side. */
export function textPair(ctx, key, owner, property, labels, options = {}) {
  return el('div', { class: 'fe-row' }, ['nl', 'en'].map((lang) => textField({
    id: `${key}-${lang}`,
    label: labels[lang],
    value: textOf(owner[property], lang),
    lang: lang === 'en' ? 'en' : null,
    multiline: options.multiline,
    onInput: (value) => {
      setText(owner, property, lang, value, options.keepEmpty);
      if (options.onInput) {
        options.onInput();
      }
      ctx.touched();
    }
  })));
}

function limits(ctx, key, field, widget) {
  const { form, texts } = ctx;
  const keys = limitsOf(widget);
  if (!keys.length) {
    return null;
  }
  return el('div', { class: 'fe-row' }, keys.map((limit) => textField({
    id: `${key}-${limit}`,
    label: widget === 'file' && limit === 'maxItems' ? texts.maxFiles : texts[limit],
    help: texts.limitsHelp,
    value: limit in propOf(form, ctx.nameOf(field)) ? String(propOf(form, ctx.nameOf(field))[limit]) : '',
    errorPrefix: texts.errorPrefix,
    attrs: { inputmode: 'decimal', autocomplete: 'off' },
    onInput: (value, control) => {
      if (!(ctx.nameOf(field) in form.schema.properties)) {
        form.schema.properties[ctx.nameOf(field)] = {};
      }
      showError(control, setLimit(form, ctx.nameOf(field), limit, value) ? '' : texts.limitInvalid);
      ctx.touched();
    }
  })));
}

function choiceRow(ctx, key, field, choice, index, count, fixedValues) {
  const { form, texts } = ctx;
  const id = `${key}-keuze-${index}`;
  const title = fill(texts.choice, { number: index + 1 });
  const context = `${title}, ${ctx.nameOf(field)}`;
  const valueField = fixedValues ? el('p', { class: 'utrecht-paragraph', text: `${texts.choiceValue}: ${JSON.stringify(choice.value)}` })
    : textField({
      id: `${id}-waarde`,
      label: texts.choiceValue,
      value: String(choice.value),
      attrs: { autocomplete: 'off', spellcheck: 'false' },
      onChange: (value) => {
        setChoiceValue(form, ctx.nameOf(field), index, value);
        ctx.rebuild();
      }
    });
  const labels = ['nl', 'en'].map((lang) => textField({
    id: `${id}-${lang}`,
    label: lang === 'nl' ? texts.choiceNl : texts.choiceEn,
    value: textOf(choice.label, lang),
    lang: lang === 'en' ? 'en' : null,
    onInput: (value) => {
      setChoiceLabel(form, ctx.nameOf(field), index, lang, value);
      ctx.touched();
    }
  }));
  const move = (delta, which) => {
    const target = moveChoice(form, ctx.nameOf(field), index, delta);
    ctx.rebuild(`${key}-keuze-${target}-${which}`, fill(texts.moved, { number: target + 1 }));
  };
  const actions = fixedValues ? null : el('div', { class: 'fe-actions' },
    button({ id: `${id}-omhoog`, text: texts.choiceUp, context, inactive: index === 0, onClick: () => move(-1, 'omhoog') }),
    button({ id: `${id}-omlaag`, text: texts.choiceDown, context, inactive: index === count - 1, onClick: () => move(1, 'omlaag') }),
    button({
      id: `${id}-weg`,
      text: texts.choiceRemove,
      context,
      kind: 'subtle',
      onClick: () => {
        removeChoice(form, ctx.nameOf(field), index);
        ctx.rebuild(`${key}-keuze-erbij`);
      }
    }));
  return el('fieldset', { class: 'utrecht-form-fieldset fe-choice' },
    el('legend', { class: 'utrecht-form-fieldset__legend', text: title }),
    el('div', { class: 'fe-row' }, valueField, labels), actions);
}

function choices(ctx, key, field, widget) {
  const { form, texts } = ctx;
  if (!CHOICE_WIDGETS.has(widget)) {
    return null;
  }
  const name = ctx.nameOf(field);
  if (field.options_from) {
    const known = { districts: texts.choicesFromDistricts, guides: texts.choicesFromGuides };
    const text = known[field.options_from] || `options_from: ${field.options_from}`;
    return el('p', { class: 'utrecht-paragraph fe-note', text });
  }
  const fixedValues = choiceType(form, name) === 'boolean';
  const list = choicesOf(form, name);
  return el('fieldset', { class: 'utrecht-form-fieldset fe-choices' },
    el('legend', { class: 'utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend', text: texts.choices }),
    fixedValues ? el('p', { class: 'utrecht-paragraph fe-note', text: texts.choicesYesNo }) : null,
    list.map((choice, index) => choiceRow(ctx, key, field, choice, index, list.length, fixedValues)),
    fixedValues ? null : button({
      id: `${key}-keuze-erbij`,
      text: texts.choiceAdd,
      context: name,
      onClick: () => {
        const index = addChoice(form, ctx.nameOf(field));
        ctx.rebuild(`${key}-keuze-${index}-waarde`);
      }
    }));
}

function conditionValue(ctx, key, field) {
  const { form, texts } = ctx;
  const condition = field.show_if;
  if (!condition || !(condition.field in form.fields)) {
    return null;
  }
  const values = conditionValues(form, condition.field, texts);
  if (!values) {
    return textField({
      id: `${key}-toon-waarde`,
      label: texts.showIfValue,
      value: condition.equals === undefined ? '' : String(condition.equals),
      onInput: (value) => {
        setConditionValue(form, ctx.nameOf(field), typedValue(conditionType(form, condition.field), value));
        ctx.touched();
      }
    });
  }
  let selected = values.findIndex((entry) => entry.value === condition.equals);
  if (selected < 0) {
    values.push({ value: condition.equals, label: JSON.stringify(condition.equals) });
    selected = values.length - 1;
  }
  return selectField({
    id: `${key}-toon-waarde`,
    label: texts.showIfValue,
    options: values,
    selected,
    onChange: (index) => {
      setConditionValue(form, ctx.nameOf(field), values[index].value);
      ctx.touched();
    }
  });
}

function condition(ctx, key, field) {
  const { form, texts } = ctx;
  const name = ctx.nameOf(field);
  const targets = Object.keys(form.fields).filter((other) => other !== name);
  const options = [{ value: '', label: texts.showIfAlways },
    ...targets.map((other) => ({ value: other, label: `${textOf(form.fields[other].label, 'nl') || other} (${other})` }))];
  const current = field.show_if && typeof field.show_if.field === 'string' ? field.show_if.field : '';
  if (current && !targets.includes(current)) {
    options.push({ value: current, label: current });
  }
  return el('div', { class: 'fe-row' },
    selectField({
      id: `${key}-toon-als`,
      label: texts.showIf,
      options,
      selected: options.findIndex((option) => option.value === current),
      onChange: (index) => {
        setCondition(form, ctx.nameOf(field), options[index].value, texts);
        ctx.rebuild();
      }
    }),
    conditionValue(ctx, key, field));
}

function placeInStep(ctx, key, field) {
  const { form, texts } = ctx;
  if (!hasSteps(form)) {
    return null;
  }
  const options = form.steps.map((step, index) => ({
    label: fill(texts.stepHeading, { number: index + 1, title: textOf(step.title, 'nl') || step.id })
  }));
  return selectField({
    id: `${key}-stap`,
    label: texts.inStep,
    options,
    selected: stepIndexOf(form, ctx.nameOf(field)),
    onChange: (index) => {
      moveToStep(form, ctx.nameOf(field), index);
      ctx.rebuild(`${key}-stap`);
    }
  });
}

function actions(ctx, key, field, position, count, addId) {
  const { form, texts } = ctx;
  const name = ctx.nameOf(field);
  const move = (delta, which) => {
    const target = moveQuestion(form, ctx.nameOf(field), delta);
    if (target !== null) {
      ctx.rebuild(`${key}-${which}`, fill(texts.moved, { number: target + 1 }));
    }
  };
  return el('div', { class: 'fe-actions' },
    button({ id: `${key}-omhoog`, text: texts.up, context: name, inactive: position === 0, onClick: () => move(-1, 'omhoog') }),
    button({ id: `${key}-omlaag`, text: texts.down, context: name, inactive: position === count - 1, onClick: () => move(1, 'omlaag') }),
    button({
      id: `${key}-weg`,
      text: texts.remove,
      context: name,
      kind: 'subtle',
      onClick: () => {
        const current = ctx.nameOf(field);
        const others = removeQuestion(form, current);
        const message = others.length ? fill(texts.conditionsRemoved, { name: current, others: others.join(', ') })
          : fill(texts.removed, { name: current });
        ctx.rebuild(addId, message);
      }
    }));
}

/** The card of one question; ``position``/``count`` place it in its step, ``addId`` is where focus goes after removing it. */
export function questionCard(ctx, name, position, count, addId) {
  const { form, texts } = ctx;
  const field = form.fields[name];
  const key = ctx.id(field);
  const widget = widgetOf(form, name);
  const headingText = () => fill(texts.questionHeading, { number: position + 1,
    label: textOf(field.label, 'nl') || ctx.nameOf(field) });
  const heading = el('h4', { class: 'utrecht-heading-4', id: `${key}-kop`, text: headingText() });
  const kinds = WIDGETS.map((option) => ({ label: texts.widgets[option] || option }));
  if (!WIDGETS.includes(widget)) {
    kinds.push({ label: widget });
  }
  return el('li', { class: 'fe-question' }, el('section', { 'aria-labelledby': `${key}-kop` },
    heading,
    el('div', { class: 'fe-row' },
      textField({
        id: `${key}-naam`,
        label: texts.name,
        help: texts.nameHelp,
        value: name,
        errorPrefix: texts.errorPrefix,
        attrs: { autocomplete: 'off', spellcheck: 'false' },
        onChange: (value, control) => {
          const problem = renameQuestion(form, ctx.nameOf(field), value.trim());
          showError(control, problem ? texts[problem] : '');
          if (!problem) {
            ctx.rebuild();
          }
        }
      }),
      selectField({
        id: `${key}-soort`,
        label: texts.widget,
        options: kinds,
        selected: WIDGETS.includes(widget) ? WIDGETS.indexOf(widget) : kinds.length - 1,
        onChange: (index) => {
          if (index < WIDGETS.length) {
            setWidget(form, ctx.nameOf(field), WIDGETS[index]);
            ctx.rebuild();
          }
        }
      })),
    widget === 'hidden' ? null : checkboxField({
      id: `${key}-verplicht`,
      label: texts.required,
      checked: isRequired(form, name),
      onChange: (checked) => {
        setRequired(form, ctx.nameOf(field), checked);
        ctx.touched();
      }
    }),
    textPair(ctx, `${key}-vraag`, field, 'label', { nl: texts.labelNl, en: texts.labelEn }, {
      keepEmpty: true,
      onInput: () => { heading.textContent = headingText(); }
    }),
    widget === 'hidden' ? null : textPair(ctx, `${key}-uitleg`, field, 'help', { nl: texts.helpNl, en: texts.helpEn },
      { multiline: true }),
    limits(ctx, key, field, widget),
    choices(ctx, key, field, widget),
    condition(ctx, key, field),
    placeInStep(ctx, key, field),
    actions(ctx, key, field, position, count, addId)));
}
