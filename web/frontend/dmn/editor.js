// The process owner's decision table editor: dmn-js opened on the file's decision table(s).
import 'dmn-js/dist/assets/diagram-js.css';
import 'dmn-js/dist/assets/dmn-js-shared.css';
import 'dmn-js/dist/assets/dmn-js-drd.css';
import 'dmn-js/dist/assets/dmn-js-decision-table.css';
import 'dmn-js/dist/assets/dmn-js-decision-table-controls.css';
import 'dmn-js/dist/assets/dmn-js-literal-expression.css';
import 'dmn-js/dist/assets/dmn-js-boxed-expression.css';
import 'dmn-js/dist/assets/dmn-js-boxed-expression-controls.css';
import 'dmn-js/dist/assets/dmn-font/css/dmn.css';
import '../shared/csp-compat.css';
import '../shared/editor.css';

import DmnModeler from 'dmn-js/lib/Modeler';

import { changeTracker } from '../shared/changes';
import { connectDrafts } from '../shared/drafts';
import { connectSaving, failed, pageData } from '../shared/page';
import { translateModule } from '../shared/translate';
import dutch from './dutch';
import { connectTrying } from './try-panel';
import { connectReplay } from './replay-panel';

function tables(modeler) {
  return modeler.getViews().filter((view) => view.type === 'decisionTable');
}

// With more than one table in the file, a list to switch between them.
function connectViews(modeler, select) {
  const views = tables(modeler);
  if (!select || views.length < 2) {
    return;
  }
  select.replaceChildren(...views.map((view) => new Option(view.name || view.element.id, view.element.id)));
  select.closest('.editor-picker').hidden = false;
  select.addEventListener('change', () => {
    const view = views.find((found) => found.element.id === select.value);
    if (view) {
      modeler.open(view);
    }
  });
  modeler.on('views.changed', ({ activeView }) => {
    if (activeView) {
      select.value = activeView.element.id;
    }
  });
}

function editorFor(modeler, container, changes) {
  return {
    saveXML: async () => (await modeler.saveXML({ format: true })).xml,
    isDirty: changes.isDirty,
    markSaved: changes.markSaved,
    showElement(id) {
      const view = tables(modeler).find((found) => found.element.id === id);
      if (view) {
        modeler.open(view);
        return true;
      }
      const selector = `[data-row-id="${CSS.escape(id)}"], [data-col-id="${CSS.escape(id)}"]`;
      const cells = Array.from(container.querySelectorAll(selector));
      if (!cells.length) {
        return false;
      }
      // A rule: its first cell that can be typed in; an input: its column's heading.
      const target = cells.map((cell) => cell.querySelector('[contenteditable="true"]')).find(Boolean) || cells[0];
      target.scrollIntoView({ block: 'center' });
      target.focus();
      return true;
    }
  };
}

async function start(root) {
  const data = pageData(root);
  const container = document.getElementById('editor-tabel');
  const language = translateModule(data.lang, dutch);
  // dmn-js replaces, not merges, "common" additional modules: each view gets its own.
  const modeler = new DmnModeler({
    container,
    drd: { additionalModules: [language] },
    decisionTable: { additionalModules: [language] },
    literalExpression: { additionalModules: [language] },
    boxedExpression: { additionalModules: [language] }
  });
  const changes = changeTracker();
  let trying = null;
  let replaying = null;
  modeler.on('viewer.created', ({ viewer }) => {
    const eventBus = viewer.get('eventBus');
    changes.follow(eventBus);
    eventBus.on('commandStack.changed', () => [trying, replaying].forEach((shown) => shown && shown.tableChanged()));
  });
  await modeler.importXML(data.xml, { open: false });
  const first = tables(modeler)[0] || modeler.getViews()[0];
  if (first) {
    await modeler.open(first);
  }
  connectViews(modeler, document.getElementById('editor-tabelkeuze'));
  const editor = editorFor(modeler, container, changes);
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
      await modeler.importXML(xml, { open: false });
      const view = tables(modeler)[0] || modeler.getViews()[0];
      if (view) {
        await modeler.open(view);
      }
      if (trying) {
        trying.tableChanged();
      }
    }
  });
  const panel = document.getElementById('proberen');
  if (panel) {
    trying = connectTrying({
      panel,
      name: data.name,
      texts: data.texts.try || {},
      saveXML: async () => (await modeler.saveXML({ format: false })).xml,
      showElement: editor.showElement
    });
    // "Terugkijken op eerdere initiatieven" (only for the table that decides the category).
    replaying = await connectReplay({
      url: panel.querySelector('form').action.replace(/\/proberen$/, '/terugkijken'),
      after: panel,
      name: data.name,
      saveXML: async () => (await modeler.saveXML({ format: false })).xml,
      showElement: editor.showElement
    }).catch(() => null); // without it the editor and the try panel still work
  }
  root.setAttribute('data-geladen', 'ja');
}

const root = document.getElementById('editor');
if (root) {
  start(root).catch((error) => failed(root, error));
}
