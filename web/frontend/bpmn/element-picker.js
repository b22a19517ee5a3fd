// A list of the diagram's elements by name: with the keyboard alone a process owner can pick
// any step and edit it in the properties panel (the drawing itself needs a mouse).
import { getBusinessObject, is } from 'bpmn-js/lib/util/ModelUtil';

const PICKABLE = ['bpmn:FlowNode', 'bpmn:SequenceFlow', 'bpmn:Process', 'bpmn:Participant'];

function typeLabel(element, lang, dictionary) {
  const type = element.type.split(':')[1].replace(/(\B[A-Z])/g, ' $1');
  return (lang === 'nl' && dictionary[type]) || type;
}

function label(element, lang, dictionary) {
  const name = getBusinessObject(element).get('name');
  return `${name || element.id} (${typeLabel(element, lang, dictionary)})`;
}

function pickable(modeler) {
  return modeler.get('elementRegistry')
    .filter((element) => !element.labelTarget && PICKABLE.some((type) => is(element, type)));
}

export function connectPicker(modeler, select, lang, dictionary) {
  if (!select) {
    return;
  }
  const placeholder = select.options[0];

  function fill() {
    const chosen = select.value;
    const options = pickable(modeler)
      .map((element) => ({ id: element.id, text: label(element, lang, dictionary) }))
      .sort((a, b) => a.text.localeCompare(b.text, lang));
    select.replaceChildren(placeholder, ...options.map(({ id, text }) => new Option(text, id)));
    select.value = options.some((option) => option.id === chosen) ? chosen : '';
  }

  let pending = 0;
  modeler.on('import.done', () => fill()); // another version of the file was opened (a draft)
  modeler.on('elements.changed', () => {
    window.clearTimeout(pending);
    pending = window.setTimeout(fill, 300);
  });
  modeler.on('selection.changed', ({ newSelection }) => {
    const only = newSelection.length === 1 ? newSelection[0].id : '';
    select.value = Array.from(select.options).some((option) => option.value === only) ? only : '';
  });
  select.addEventListener('change', () => {
    const element = modeler.get('elementRegistry').get(select.value);
    const canvas = modeler.get('canvas');
    if (!element) {
      return;
    }
    if (element === canvas.getRootElement()) {
      modeler.get('selection').select(null); // the panel then shows the process itself
      return;
    }
    modeler.get('selection').select(element);
    canvas.scrollToElement(element);
  });
  fill();
}
