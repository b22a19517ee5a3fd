// The "Loket" group of the properties panel: form, who does a task, status texts for the
// initiator, the service norm, conditions and scripts. Nothing the loket reads from a
// diagram needs the XML.
import { Group, isCheckboxEntryEdited, isNumberFieldEntryEdited, isSelectEntryEdited,
  isTextAreaEntryEdited, isTextFieldEntryEdited } from '@bpmn-io/properties-panel';
import { getBusinessObject, is, isAny } from 'bpmn-js/lib/util/ModelUtil';

import {
  AssigneeEntry,
  CandidateGroupEntry,
  ConditionEntry,
  FormEntry,
  InformInitiatorEntry,
  OverdueEntry,
  ScriptEntry,
  StatusTextEnglishEntry,
  StatusTextEntry,
  TaskNormEntry,
  TimerNormEntry
} from './loket-entries.jsx';
import { isTimerBoundaryEvent } from './norm';

const FORM_ELEMENTS = ['bpmn:UserTask', 'bpmn:StartEvent', 'bpmn:ReceiveTask'];
const CONDITION_SOURCES = ['bpmn:ExclusiveGateway', 'bpmn:InclusiveGateway', 'bpmn:Activity'];

function entry(id, component, isEdited) {
  return { id: `loket-${id}`, component, isEdited };
}

function hasCondition(element) {
  if (!is(element, 'bpmn:SequenceFlow')) {
    return false;
  }
  const flow = getBusinessObject(element);
  const source = flow.get('sourceRef');
  return Boolean(source) && isAny(source, CONDITION_SOURCES) && source.get('default') !== flow;
}

function loketEntries(element) {
  const entries = [];
  if (isAny(element, FORM_ELEMENTS)) {
    entries.push(entry('formId', FormEntry, isSelectEntryEdited));
  }
  if (is(element, 'bpmn:UserTask')) {
    entries.push(entry('candidateGroups', CandidateGroupEntry, isSelectEntryEdited));
    entries.push(entry('assignee', AssigneeEntry, isTextFieldEntryEdited));
  }
  if (isAny(element, ['bpmn:Activity', 'bpmn:Event'])) {
    entries.push(entry('statusText', StatusTextEntry, isTextAreaEntryEdited));
    entries.push(entry('statusText_en', StatusTextEnglishEntry, isTextAreaEntryEdited));
    entries.push(entry('informInitiator', InformInitiatorEntry, isCheckboxEntryEdited));
  }
  if (is(element, 'bpmn:UserTask')) {
    entries.push(entry('norm', TaskNormEntry, isNumberFieldEntryEdited));
  }
  if (isTimerBoundaryEvent(element)) {
    entries.push(entry('overdue', OverdueEntry, isCheckboxEntryEdited));
    entries.push(entry('timerNorm', TimerNormEntry, isNumberFieldEntryEdited));
  }
  if (is(element, 'bpmn:ScriptTask')) {
    entries.push(entry('script', ScriptEntry, isTextAreaEntryEdited));
  }
  if (hasCondition(element)) {
    entries.push(entry('condition', ConditionEntry, isTextAreaEntryEdited));
  }
  return entries;
}

export default class LoketPropertiesProvider {
  constructor(propertiesPanel, config) {
    this._texts = config.texts;
    // After the standard BPMN provider (a lower priority runs later), so the group can be
    // placed right after "General".
    propertiesPanel.registerProvider(500, this);
  }

  getGroups(element) {
    return (groups) => {
      const entries = loketEntries(element);
      if (!entries.length) {
        return groups;
      }
      const group = { id: 'loket', label: this._texts.group, entries, component: Group, shouldOpen: true };
      const general = groups.findIndex((found) => found.id === 'general');
      groups.splice(general + 1, 0, group);
      return groups;
    };
  }
}

LoketPropertiesProvider.$inject = ['propertiesPanel', 'config.loket'];
