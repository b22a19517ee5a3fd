// The question editor: the form's title and explanation, then every step with its questions.
import { button, el, fill, showError, textField } from './dom';
import { addQuestion, addStep, groups, hasSteps, moveStep, removeStep, setStepId, textOf } from './model';
import { questionCard, textPair } from './question';

function formSection(ctx) {
  const { form, texts } = ctx;
  return el('section', { class: 'fe-form', 'aria-labelledby': 'fe-formulier-kop' },
    el('h2', { class: 'utrecht-heading-2', id: 'fe-formulier-kop', text: texts.formSection }),
    el('p', { class: 'utrecht-paragraph', text: fill(texts.formId, { id: String(form.id ?? '') }) }),
    textPair(ctx, 'fe-titel', form, 'title', { nl: texts.titleNl, en: texts.titleEn }, { keepEmpty: true }),
    textPair(ctx, 'fe-uitleg', form, 'description', { nl: texts.descriptionNl, en: texts.descriptionEn },
      { multiline: true }));
}

function stepControls(ctx, key, step, heading, headingText) {
  const { form, texts } = ctx;
  const index = () => form.steps.indexOf(step);
  const title = textOf(step.title, 'nl') || step.id;
  const move = (delta, which) => {
    const target = moveStep(form, index(), delta);
    if (target !== null) {
      ctx.rebuild(`${key}-${which}`, fill(texts.moved, { number: target + 1 }));
    }
  };
  return [
    textPair(ctx, `${key}-titel`, step, 'title', { nl: texts.stepTitleNl, en: texts.stepTitleEn }, {
      keepEmpty: true,
      onInput: () => { heading.textContent = headingText(); }
    }),
    textField({
      id: `${key}-id`,
      label: texts.stepId,
      help: texts.stepIdHelp,
      value: step.id,
      errorPrefix: texts.errorPrefix,
      attrs: { autocomplete: 'off', spellcheck: 'false' },
      onChange: (value, control) => {
        const problem = setStepId(form, index(), value.trim());
        showError(control, problem ? texts[problem] : '');
        if (!problem) {
          ctx.rebuild();
        }
      }
    }),
    el('div', { class: 'fe-actions' },
      button({ id: `${key}-omhoog`, text: texts.stepUp, context: title, inactive: index() === 0,
        onClick: () => move(-1, 'omhoog') }),
      button({ id: `${key}-omlaag`, text: texts.stepDown, context: title, inactive: index() === form.steps.length - 1,
        onClick: () => move(1, 'omlaag') }),
      button({
        id: `${key}-weg`,
        text: texts.stepRemove,
        context: title,
        kind: 'subtle',
        onClick: () => {
          const problem = removeStep(form, index());
          if (problem) {
            ctx.say(texts[problem]);
          } else {
            ctx.rebuild('fe-stap-erbij', texts.stepRemoved);
          }
        }
      }))
  ];
}

function stepSection(ctx, group) {
  const { form, texts } = ctx;
  const { step } = group;
  let key = 'fe-vragen';
  if (step) {
    key = ctx.id(step);
  } else if (group.unplaced) {
    key = 'fe-los';
  }
  const headingText = () => {
    if (step) {
      return fill(texts.stepHeading, { number: form.steps.indexOf(step) + 1, title: textOf(step.title, 'nl') || step.id });
    }
    return group.unplaced ? texts.unplaced : texts.questions;
  };
  const heading = el('h3', { class: 'utrecht-heading-3', id: `${key}-kop`, text: headingText() });
  const addId = `${key}-vraag-erbij`;
  const add = group.unplaced ? null : button({
    id: addId,
    text: texts.add,
    context: step ? headingText() : null,
    onClick: () => {
      const name = addQuestion(form, step ? form.steps.indexOf(step) : -1);
      ctx.rebuild(`${ctx.id(form.fields[name])}-naam`, fill(texts.added, { name }));
    }
  });
  return el('section', { class: 'fe-step', 'aria-labelledby': `${key}-kop` },
    heading,
    step ? stepControls(ctx, key, step, heading, headingText) : null,
    el('ol', { class: 'fe-questions' },
      group.names.map((name, position) => questionCard(ctx, name, position, group.names.length, add ? addId : 'fe-stap-erbij'))),
    add);
}

/** The whole question editor for ``ctx.form``. */
export function questionEditor(ctx) {
  const { form, texts } = ctx;
  return [
    formSection(ctx),
    el('section', { class: 'fe-steps', 'aria-labelledby': 'fe-stappen-kop' },
      el('h2', { class: 'utrecht-heading-2', id: 'fe-stappen-kop', text: texts.questionsSection }),
      hasSteps(form) ? null : el('p', { class: 'utrecht-paragraph', text: texts.noSteps }),
      groups(form).map((group) => stepSection(ctx, group)),
      button({
        id: 'fe-stap-erbij',
        text: texts.stepAdd,
        onClick: () => {
          const index = addStep(form);
          ctx.rebuild(`${ctx.id(form.steps[index])}-titel-nl`, fill(texts.stepAdded, { number: index + 1 }));
        }
      }))
  ];
}
