// The entries of the "Loket" group: what the engine reads from a diagram besides plain BPMN.
// Every label comes from the page (config.loket.texts), translated by the server.
import {
  CheckboxEntry,
  NumberFieldEntry,
  SelectEntry,
  TextAreaEntry,
  TextFieldEntry
} from '@bpmn-io/properties-panel';
import { useEffect, useState } from '@bpmn-io/properties-panel/preact/hooks';
import { useService } from 'bpmn-js-properties-panel';
import { getBusinessObject } from 'bpmn-js/lib/util/ModelUtil';

import { execute, getProperty, setProperty } from './extension-properties';
import { MAX_WORKING_DAYS, normTimers, timerExpression, workingDays, workingDaysCommand } from './norm';

const EXPRESSION = '__uitdrukking__';
const QUOTED = /^'([^'\\]*)'$/;

function useLoket() {
  return useService('config.loket');
}

function useWriter() {
  return { bpmnFactory: useService('bpmnFactory'), commandStack: useService('commandStack') };
}

function fill(text, values) {
  return text.replace(/\{(\w+)\}/g, (all, key) => (key in values ? values[key] : all));
}

export function FormEntry({ element, id }) {
  const { texts, forms } = useLoket();
  const writer = useWriter();
  const current = getProperty(element, 'formId');
  const getOptions = () => {
    const options = [{ value: '', label: texts.noForm }];
    for (const form of forms) {
      options.push({ value: form.id, label: form.title ? `${form.title} (${form.id})` : form.id });
    }
    if (current && !forms.some((form) => form.id === current)) {
      options.push({ value: current, label: fill(texts.unknownForm, { id: current }) });
    }
    return options;
  };
  return (
    <SelectEntry
      element={element}
      id={id}
      label={texts.form}
      description={texts.formHelp}
      getValue={() => current}
      setValue={(value) => setProperty(element, 'formId', value, writer)}
      getOptions={getOptions}
    />
  );
}

function selectedGroup(expression, teams) {
  if (!expression) {
    return '';
  }
  const quoted = QUOTED.exec(expression.trim());
  return quoted && teams.some((team) => team.code === quoted[1]) ? quoted[1] : EXPRESSION;
}

export function CandidateGroupEntry({ element, id }) {
  const { texts, teams } = useLoket();
  const writer = useWriter();
  const debounce = useService('debounceInput');
  const expression = getProperty(element, 'candidateGroups');
  const selected = selectedGroup(expression, teams);
  const [custom, setCustom] = useState(selected === EXPRESSION);
  useEffect(() => setCustom(selectedGroup(getProperty(element, 'candidateGroups'), teams) === EXPRESSION), [element]);

  const getOptions = () => [
    { value: '', label: texts.noGroup },
    ...teams.map((team) => ({ value: team.code, label: team.name ? `${team.name} (${team.code})` : team.code })),
    { value: EXPRESSION, label: texts.otherExpression }
  ];
  const choose = (value) => {
    if (value === EXPRESSION) {
      setCustom(true);
      return;
    }
    setCustom(false);
    setProperty(element, 'candidateGroups', value ? `'${value}'` : '', writer);
  };
  const entries = [
    <SelectEntry
      key="select"
      element={element}
      id={id}
      label={texts.candidateGroups}
      description={texts.candidateGroupsHelp}
      getValue={() => (custom ? EXPRESSION : selected)}
      setValue={choose}
      getOptions={getOptions}
    />
  ];
  if (custom) {
    entries.push(
      <TextFieldEntry
        key="expression"
        element={element}
        id={`${id}-expression`}
        label={texts.candidateGroupsExpression}
        description={texts.candidateGroupsExpressionHelp}
        debounce={debounce}
        getValue={() => getProperty(element, 'candidateGroups')}
        setValue={(value) => setProperty(element, 'candidateGroups', value, writer)}
      />
    );
  }
  return entries;
}

function PropertyTextEntry({ element, id, name, label, description, area }) {
  const writer = useWriter();
  const debounce = useService('debounceInput');
  const Entry = area ? TextAreaEntry : TextFieldEntry;
  return (
    <Entry
      element={element}
      id={id}
      label={label}
      description={description}
      debounce={debounce}
      autoResize={area}
      getValue={() => getProperty(element, name)}
      setValue={(value) => setProperty(element, name, value, writer)}
    />
  );
}

export function AssigneeEntry({ element, id }) {
  const { texts } = useLoket();
  return <PropertyTextEntry element={element} id={id} name="assignee" label={texts.assignee}
    description={texts.assigneeHelp} />;
}

export function StatusTextEntry({ element, id }) {
  const { texts } = useLoket();
  return <PropertyTextEntry element={element} id={id} name="statusText" label={texts.statusText}
    description={texts.statusTextHelp} area />;
}

export function StatusTextEnglishEntry({ element, id }) {
  const { texts } = useLoket();
  return <PropertyTextEntry element={element} id={id} name="statusText_en" label={texts.statusTextEn}
    description={texts.statusTextEnHelp} area />;
}

function FlagEntry({ element, id, name, label, description }) {
  const writer = useWriter();
  return (
    <CheckboxEntry
      element={element}
      id={id}
      label={label}
      description={description}
      getValue={() => getProperty(element, name).toLowerCase() === 'true'}
      setValue={(checked) => setProperty(element, name, checked ? 'true' : 'false', writer)}
    />
  );
}

export function InformInitiatorEntry({ element, id }) {
  const { texts } = useLoket();
  return <FlagEntry element={element} id={id} name="informInitiator" label={texts.informInitiator}
    description={texts.informInitiatorHelp} />;
}

export function OverdueEntry({ element, id }) {
  const { texts } = useLoket();
  return <FlagEntry element={element} id={id} name="overdue" label={texts.overdue} description={texts.overdueHelp} />;
}

function validDays(texts) {
  return (value) => {
    if (value === undefined || value === null || value === '') {
      return null;
    }
    return Number.isInteger(value) && value >= 1 && value <= MAX_WORKING_DAYS
      ? null : fill(texts.normInvalid, { max: MAX_WORKING_DAYS });
  };
}

/** The norm of a task (written on its norm timers) or of one timer boundary event. */
export function NormEntry({ element, id, timers }) {
  const { texts } = useLoket();
  const { bpmnFactory, commandStack } = useWriter();
  const debounce = useService('debounceInput');
  const validate = validDays(texts);
  const current = workingDays(timers[0]);
  const written = timerExpression(timers[0]);
  const description = current === undefined && written
    ? fill(texts.normOther, { expression: written }) : texts.normHelp;
  return (
    <NumberFieldEntry
      element={element}
      id={id}
      label={texts.norm}
      description={description}
      debounce={debounce}
      min="1"
      max={String(MAX_WORKING_DAYS)}
      step="1"
      validate={validate}
      getValue={() => current}
      setValue={(value, error) => {
        if (error || value === undefined) {
          return;
        }
        execute(commandStack, timers.map((timer) => workingDaysCommand(timer, value, bpmnFactory)));
      }}
    />
  );
}

export function TaskNormEntry({ element, id }) {
  const { texts } = useLoket();
  const timers = normTimers(element);
  if (!timers.length) {
    return (
      <div class="bio-properties-panel-entry" data-entry-id={id}>
        <p class="bio-properties-panel-label">{texts.norm}</p>
        <p class="bio-properties-panel-description">{texts.noNorm}</p>
      </div>
    );
  }
  return <NormEntry element={element} id={id} timers={timers} />;
}

export function TimerNormEntry({ element, id }) {
  return <NormEntry element={element} id={id} timers={[element]} />;
}

export function ConditionEntry({ element, id }) {
  const { texts } = useLoket();
  const modeling = useService('modeling');
  const bpmnFactory = useService('bpmnFactory');
  const debounce = useService('debounceInput');
  const businessObject = getBusinessObject(element);
  return (
    <TextAreaEntry
      element={element}
      id={id}
      label={texts.condition}
      description={texts.conditionHelp}
      debounce={debounce}
      autoResize
      monospace
      getValue={() => {
        const condition = businessObject.get('conditionExpression');
        return (condition && condition.get('body')) || '';
      }}
      setValue={(value) => {
        const conditionExpression = value
          ? bpmnFactory.create('bpmn:FormalExpression', { body: value }) : undefined;
        modeling.updateProperties(element, { conditionExpression });
      }}
    />
  );
}

export function ScriptEntry({ element, id }) {
  const { texts } = useLoket();
  const modeling = useService('modeling');
  const debounce = useService('debounceInput');
  const businessObject = getBusinessObject(element);
  return (
    <TextAreaEntry
      element={element}
      id={id}
      label={texts.script}
      description={texts.scriptHelp}
      debounce={debounce}
      autoResize
      monospace
      getValue={() => businessObject.get('script') || ''}
      setValue={(value) => modeling.updateProperties(element, {
        script: value || undefined,
        scriptFormat: businessObject.get('scriptFormat') || 'python'
      })}
    />
  );
}
