import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { createRouter } from '../../lib/router.js';
import { DOCS_CSP } from '../../lib/security.js';

/** Swagger UI's files, from the installed swagger-ui-dist: the page works offline and trusts no CDN. */
const SWAGGER_UI = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>API reference</title>
    <link rel="stylesheet" href="/docs/swagger-ui.css" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="/docs/swagger-ui-bundle.js"></script>
    <script src="/docs/init.js"></script>
  </body>
</html>
`;

// A file of its own: the page's policy runs no inline script. validatorUrl: null keeps the page from
// sending the document to Swagger's online validator.
const INIT = "window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', validatorUrl: null });\n";

/** GET /docs: the API reference (Swagger UI over /openapi.json), with the files it loads. */
export const docsRoutes = () => {
  const router = createRouter();
  router.use('/docs/*', async (c, next) => {
    // Their URLs stay the same when swagger-ui-dist is upgraded, so browsers must ask again.
    c.header('Cache-Control', 'no-cache');
    await next();
  });
  router.get('/docs', (c) => c.html(PAGE, 200, { 'Content-Security-Policy': DOCS_CSP }));
  router.get('/docs/init.js', (c) => c.body(INIT, 200, { 'Content-Type': 'text/javascript; charset=utf-8' }));
  for (const file of ['swagger-ui.css', 'swagger-ui-bundle.js']) {
    router.get(`/docs/${file}`, serveStatic({ path: join(SWAGGER_UI, file) }));
  }
  return router;
};
