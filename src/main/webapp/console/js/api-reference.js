// The API reference: one of the server's OpenAPI documents (?doc=rowsync|agent-state|operator),
// the files clients are generated from (/api-docs/<name>.yaml), rendered by Swagger UI, which the
// WAR serves from its WebJar (swagger-ui/…): no other site is contacted.
import { contextRoot, CSRF_HEADER } from './api.js';
import { el, fill, initPage } from './ui.js';

initPage();

const DOCUMENTS = [
  ['rowsync', 'Row sync API'],
  ['agent-state', 'Agent state API'],
  ['operator', 'Operator API'],
];

const requested = new URLSearchParams(location.search).get('doc');
const doc = DOCUMENTS.some(([id]) => id === requested) ? requested : 'rowsync';
const url = contextRoot + '/api-docs/' + doc + '.yaml';

fill(
  'api-documents',
  DOCUMENTS.map(([id, label]) =>
    el('a', { href: '?doc=' + id, 'aria-current': id === doc ? 'page' : undefined }, label),
  ),
);
fill('api-document-source', 'The document: ', el('a', { href: url }, url.replace(/^.*\//, '')));

// swagger-ui-bundle.js is a classic script (loaded before this module) that defines this global.
window.SwaggerUIBundle({
  url,
  dom_id: '#swagger-ui',
  // The validator badge would send the document to validator.swagger.io.
  validatorUrl: null,
  // "Try it out" calls this server (the documents' server is "/"), as the signed-in operator:
  // the operator API needs this header from a browser (docs/console.md), as for every console
  // call. Row sync and agent state need their own tokens ("Authorize").
  requestInterceptor: (request) => {
    request.headers[CSRF_HEADER] = 'api-reference';
    return request;
  },
});
