// Service norms: a timer boundary event marked ``overdue`` whose timer is ``werkdagen(N)``
// (a timeDate expression the engine evaluates when the task starts).
import { getBusinessObject, is } from 'bpmn-js/lib/util/ModelUtil';

import { getProperty } from './extension-properties';

const WORKING_DAYS = /^\s*werkdagen\(\s*(\d+)\s*\)\s*$/;
export const MAX_WORKING_DAYS = 1000; // what werkdagen() accepts

export function timerDefinition(element) {
  const definitions = getBusinessObject(element).get('eventDefinitions') || [];
  return definitions.find((definition) => is(definition, 'bpmn:TimerEventDefinition'));
}

export function isTimerBoundaryEvent(element) {
  return is(element, 'bpmn:BoundaryEvent') && Boolean(timerDefinition(element));
}

export function isNormTimer(element) {
  return isTimerBoundaryEvent(element) && getProperty(element, 'overdue').toLowerCase() === 'true';
}

/** The timer boundary events on a task that mark its service norm. */
export function normTimers(task) {
  return (task.attachers || []).filter(isNormTimer);
}

/** The timer's expression as written (whichever of timeDate, timeDuration, timeCycle is set). */
export function timerExpression(element) {
  const timer = timerDefinition(element);
  if (!timer) {
    return '';
  }
  const expression = timer.get('timeDate') || timer.get('timeDuration') || timer.get('timeCycle');
  return (expression && expression.get('body')) || '';
}

/** N of ``werkdagen(N)``, or undefined when the timer says something else. */
export function workingDays(element) {
  const found = WORKING_DAYS.exec(timerExpression(element));
  return found ? Number(found[1]) : undefined;
}

/** The command that makes the timer ``werkdagen(days)`` (a timeDate expression). */
export function workingDaysCommand(element, days, bpmnFactory) {
  const timer = timerDefinition(element);
  const timeDate = bpmnFactory.create('bpmn:FormalExpression', { body: `werkdagen(${days})` });
  timeDate.$parent = timer;
  return {
    cmd: 'element.updateModdleProperties',
    context: {
      element,
      moddleElement: timer,
      properties: { timeDate, timeDuration: undefined, timeCycle: undefined }
    }
  };
}
