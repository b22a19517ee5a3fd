// Reading and writing the loket's properties
// (bpmn:extensionElements/spiffworkflow:properties/spiffworkflow:property name= value=) as
// commands, so every change is one step on the undo stack and marks the diagram changed.
import { getBusinessObject, is } from 'bpmn-js/lib/util/ModelUtil';

function propertiesOf(businessObject) {
  const extensionElements = businessObject.get('extensionElements');
  const values = extensionElements ? extensionElements.get('values') : [];
  return values.find((value) => is(value, 'spiffworkflow:Properties'));
}

function propertyOf(businessObject, name) {
  const properties = propertiesOf(businessObject);
  return properties ? properties.get('values').find((property) => property.get('name') === name) : undefined;
}

/** The value of property ``name`` of an element or business object ('' when absent). */
export function getProperty(element, name) {
  const property = propertyOf(getBusinessObject(element), name);
  return (property && property.get('value')) || '';
}

function update(element, moddleElement, properties) {
  return { cmd: 'element.updateModdleProperties', context: { element, moddleElement, properties } };
}

function created(bpmnFactory, type, attributes, parent) {
  const made = bpmnFactory.create(type, attributes);
  made.$parent = parent;
  return made;
}

// The containers a new property needs, created in the same command when missing.
function ensureProperties(element, businessObject, bpmnFactory, commands) {
  let extensionElements = businessObject.get('extensionElements');
  if (!extensionElements) {
    extensionElements = created(bpmnFactory, 'bpmn:ExtensionElements', { values: [] }, businessObject);
    commands.push(update(element, businessObject, { extensionElements }));
  }
  let properties = propertiesOf(businessObject);
  if (!properties) {
    properties = created(bpmnFactory, 'spiffworkflow:Properties', { values: [] }, extensionElements);
    commands.push(update(element, extensionElements, { values: [...extensionElements.get('values'), properties] }));
  }
  return properties;
}

/** Commands that set property ``name`` of ``element`` to ``value``; an empty value removes it. */
export function propertyCommands(element, name, value, bpmnFactory) {
  const businessObject = getBusinessObject(element);
  const existing = propertyOf(businessObject, name);
  const empty = value === undefined || value === null || value === '';
  if (empty) {
    if (!existing) {
      return [];
    }
    const properties = existing.$parent;
    return [update(element, properties, { values: properties.get('values').filter((item) => item !== existing) })];
  }
  if (existing) {
    return existing.get('value') === value ? [] : [update(element, existing, { value })];
  }
  const commands = [];
  const properties = ensureProperties(element, businessObject, bpmnFactory, commands);
  const property = created(bpmnFactory, 'spiffworkflow:Property', { name, value }, properties);
  commands.push(update(element, properties, { values: [...properties.get('values'), property] }));
  return commands;
}

/** Run commands as one undoable step. */
export function execute(commandStack, commands) {
  if (commands.length) {
    commandStack.execute('properties-panel.multi-command-executor', commands);
  }
}

/** Set property ``name`` of ``element`` (one undoable step). */
export function setProperty(element, name, value, { bpmnFactory, commandStack }) {
  execute(commandStack, propertyCommands(element, name, value, bpmnFactory));
}
