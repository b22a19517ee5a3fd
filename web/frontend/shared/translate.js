// A diagram-js "translate" service that speaks the page's language: Dutch from a dictionary,
// English as the libraries wrote it.
export function translateModule(lang, dictionary) {
  function translate(template, replacements = {}) {
    const text = (lang === 'nl' && dictionary[template]) || template;
    return text.replace(/{([^}]+)}/g, (all, key) => (key in replacements ? replacements[key] : `{${key}}`));
  }
  return { translate: ['value', translate] };
}
