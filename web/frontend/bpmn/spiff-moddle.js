// The moddle extension for the spiffworkflow namespace the engine reads.
//
// moddle drops every element of a *declared* namespace whose type it does not know, so a
// fixed list of types would silently lose whatever the diagrams hold that the list forgot
// (serviceTaskOperator, calledDecisionId, messageVariable, retry, ...). The loket's own
// properties are declared with their attributes; every other spiffworkflow element found in
// the file gets a pass-through type with the attributes, children and text it has there, so
// a load and save keeps it as it was.

export const SPIFF_URI = 'http://spiffworkflow.org/bpmn/schema/1.0/core';

const CHILDREN = 'passThroughChildren';
const TEXT = 'passThroughText';

function declared() {
  return [
    {
      name: 'Properties',
      superClass: ['Element'],
      meta: { allowedIn: ['*'] },
      properties: [{ name: 'values', type: 'Property', isMany: true }]
    },
    {
      name: 'Property',
      superClass: ['Element'],
      properties: [
        { name: 'name', type: 'String', isAttr: true },
        { name: 'value', type: 'String', isAttr: true }
      ]
    }
  ];
}

// moddle's lowerCase tag alias maps the type Foo to the element spiffworkflow:foo.
function typeName(localName) {
  return localName.charAt(0).toUpperCase() + localName.slice(1);
}

function collectElements(xml) {
  const found = new Map();
  const document = new DOMParser().parseFromString(xml, 'application/xml');
  for (const node of document.getElementsByTagNameNS(SPIFF_URI, '*')) {
    const seen = found.get(node.localName) || { attributes: new Set() };
    for (const attribute of node.attributes) {
      if (!attribute.namespaceURI) {
        seen.attributes.add(attribute.localName);
      }
    }
    found.set(node.localName, seen);
  }
  return found;
}

function passThroughType(name, attributes) {
  return {
    name,
    superClass: ['Element'],
    meta: { allowedIn: ['*'] },
    properties: [
      ...[...attributes].sort().map((attribute) => ({ name: attribute, type: 'String', isAttr: true })),
      { name: CHILDREN, type: 'Element', isMany: true },
      { name: TEXT, type: 'String', isBody: true }
    ]
  };
}

/** The moddle package for one file: the declared types plus pass-through types for the rest. */
export function spiffModdle(xml) {
  const types = declared();
  const known = new Set(types.map((type) => type.name));
  for (const [localName, { attributes }] of collectElements(xml)) {
    const name = typeName(localName);
    if (known.has(name) || name === localName) {
      continue; // declared here, or a name the lowerCase alias cannot give back
    }
    known.add(name);
    types.push(passThroughType(name, attributes));
  }
  return {
    name: 'SpiffWorkflow',
    uri: SPIFF_URI,
    prefix: 'spiffworkflow',
    xml: { tagAlias: 'lowerCase' },
    associations: [],
    types
  };
}
