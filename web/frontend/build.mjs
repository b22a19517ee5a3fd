// Bundles the process owner's editors (bpmn-js Modeler with properties panel and bpmnlint,
// dmn-js) from node_modules into web/static/vendor/editor/, so nothing third-party is
// committed and the pages load only same-origin scripts and style sheets (the CSP allows no
// inline script or style). Run by the Makefile's assets rule: node web/frontend/build.mjs
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import * as esbuild from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const require = createRequire(join(root, 'package.json'));

// bpmn-js-bpmnlint wants a "packed" bpmnlint configuration; bpmnlint compiles one itself.
// Compiling it here (instead of committing a generated file) keeps it in step with the
// installed rules.
const lintConfig = {
  name: 'bpmnlint-config',
  setup(build) {
    build.onResolve({ filter: /^virtual:bpmnlint-config$/ }, (args) => ({
      path: args.path, namespace: 'bpmnlint-config'
    }));
    build.onLoad({ filter: /.*/, namespace: 'bpmnlint-config' }, async () => {
      const compileConfig = require('bpmnlint/lib/support/compile-config');
      return {
        contents: await compileConfig({ extends: 'bpmnlint:recommended' }),
        resolveDir: root,
        loader: 'js'
      };
    });
  }
};

await esbuild.build({
  absWorkingDir: root,
  entryPoints: {
    'bpmn-editor': 'web/frontend/bpmn/editor.js',
    'dmn-editor': 'web/frontend/dmn/editor.js',
    'form-editor': 'web/frontend/forms/editor.js'
  },
  outdir: 'web/static/vendor/editor',
  bundle: true,
  format: 'iife',
  target: ['es2020'],
  minify: true,
  sourcemap: false,
  legalComments: 'linked',
  jsx: 'automatic',
  jsxImportSource: '@bpmn-io/properties-panel/preact',
  // The icon fonts become files next to the CSS: the CSP's font-src ('self') refuses the
  // data: URLs of the libraries' "embedded" font style sheets.
  loader: { '.jsx': 'jsx', '.woff': 'file', '.woff2': 'file', '.ttf': 'file', '.eot': 'file', '.svg': 'file' },
  assetNames: 'fonts/[name]-[hash]',
  define: { 'process.env.NODE_ENV': '"production"' },
  plugins: [lintConfig],
  logLevel: 'warning'
});
