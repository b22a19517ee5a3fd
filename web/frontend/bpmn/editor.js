// The process owner's diagram editor: the bpmn-js Modeler with the properties panel (plus the
// loket's own group) and bpmnlint's recommended rules while editing.
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn.css';
import '@bpmn-io/properties-panel/dist/assets/properties-panel.css';
import 'bpmn-js-bpmnlint/dist/assets/css/bpmn-js-bpmnlint.css';
import '../shared/csp-compat.css';
import '../shared/editor.css';

import { BpmnPropertiesPanelModule, BpmnPropertiesProviderModule } from 'bpmn-js-properties-panel';
import lintModule from 'bpmn-js-bpmnlint';
import BpmnModeler from 'bpmn-js/lib/Modeler';
import lintConfig from 'virtual:bpmnlint-config';

import { connectSaving, failed, pageData } from '../shared/page';
import { changeTracker } from '../shared/changes';
import { connectDrafts } from '../shared/drafts';
import flushableDebounce from '../shared/flushable-debounce';
import { translateModule } from '../shared/translate';
import dutch from './dutch';
import { connectPicker } from './element-picker';
import LoketPropertiesProvider from './loket-properties';
import { spiffModdle } from './spiff-moddle';

const loketModule = {
  __init__: ['loketPropertiesProvider'],
  loketPropertiesProvider: ['type', LoketPropertiesProvider]
};

function focusProperties(panel) {
  // after the panel rendered the newly selected element
  window.setTimeout(() => {
    const field = panel.querySelector('[data-group-id="group-loket"] input, [data-group-id="group-loket"] select,'
      + ' [data-group-id="group-loket"] textarea, input, select, textarea');
    if (field) {
      field.focus();
    }
  }, 50);
}

function editorFor(modeler, panel, changes) {
  return {
    flush: () => modeler.get('pendingInput').flush(),
    saveXML: async () => (await modeler.saveXML({ format: true })).xml,
    isDirty: changes.isDirty,
    markSaved: changes.markSaved,
    showElement(id) {
      const element = modeler.get('elementRegistry').get(id);
      if (!element) {
        return false;
      }
      modeler.get('selection').select(element);
      modeler.get('canvas').scrollToElement(element);
      focusProperties(panel);
      return true;
    }
  };
}

function showImportWarnings(warnings, texts) {
  const box = document.getElementById('editor-waarschuwing');
  if (!warnings.length || !box) {
    return;
  }
  // Saving could lose what the editor could not read: only checking stays possible.
  box.hidden = false;
  const deploy = document.querySelector('#editor-opslaan button[value=in_gebruik]');
  if (deploy) {
    deploy.disabled = true;
    deploy.title = texts.importWarnings;
  }
  const list = box.querySelector('ul');
  for (const warning of warnings) {
    const item = document.createElement('li');
    item.textContent = String(warning.message).split('\n')[0];
    list.append(item);
  }
}

async function start(root) {
  const data = pageData(root);
  const panel = document.getElementById('editor-eigenschappen');
  const modeler = new BpmnModeler({
    container: document.getElementById('editor-canvas'),
    propertiesPanel: { parent: panel },
    linting: { bpmnlint: lintConfig, active: true },
    loket: { texts: data.texts.panel, forms: data.choices.forms || [], teams: data.choices.teams || [] },
    additionalModules: [
      BpmnPropertiesPanelModule,
      BpmnPropertiesProviderModule,
      loketModule,
      lintModule,
      flushableDebounce,
      translateModule(data.lang, dutch)
    ],
    moddleExtensions: { spiffworkflow: spiffModdle(data.xml) }
  });
  const { warnings } = await modeler.importXML(data.xml);
  modeler.get('canvas').zoom('fit-viewport');
  const changes = changeTracker(modeler.get('eventBus'));
  const editor = editorFor(modeler, panel, changes);
  showImportWarnings(warnings, data.texts);
  connectPicker(modeler, document.getElementById('editor-element'), data.lang, dutch);
  const form = document.getElementById('editor-opslaan');
  const outcome = document.getElementById('editor-uitkomst');
  connectSaving({ form, outcome, texts: data.texts, name: data.name, editor });
  await connectDrafts({
    url: root.dataset.concepten,
    form,
    outcome,
    editor,
    changes,
    load: async (xml) => {
      await modeler.importXML(xml);
      modeler.get('canvas').zoom('fit-viewport');
    }
  });
  root.setAttribute('data-geladen', 'ja');
}

const root = document.getElementById('editor');
if (root) {
  start(root).catch((error) => failed(root, error));
}
