// The OpenAPI document, Swagger UI at /docs and ReDoc at /redoc, all served from this process:
// no page loads anything from another origin.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { OAUTH2_CODE_SCHEME, OAUTH2_SCHEME } from './auth/decorators.js';
import { DEFAULT_SCOPES, SCOPES } from './auth/scopes.js';
import { ClientsService } from './clients/clients.service.js';
import type { AppConfig } from './config/app-config.js';
import { FAVICON_PATH, serveFavicon } from './favicon.js';

const TITLE = 'OAuth2 password-flow service';

/**
 * The API docs' own OAuth2 client: public and first-party, so that Authorize in Swagger UI can sign
 * in on the hosted login page (authorization code with PKCE) beside the tutorial's password flow.
 */
export const DOCS_CLIENT_ID = 'client~d0c5d0c5d0c5d0c5d0c5d0c5';

/** Where Swagger UI's sign-in comes back to: a page of swagger-ui-dist, served under /docs. */
export const docsRedirectUri = (config: Pick<AppConfig, 'publicUrl'>) => `${config.publicUrl}/docs/oauth2-redirect.html`;

/** Registers, or brings up to date, the docs' client. A failure (the database away) is the docs' alone. */
export async function registerDocsClient(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  await app.get(ClientsService).ensure({ clientId: DOCS_CLIENT_ID, name: 'API docs (Swagger UI)', scope: DEFAULT_SCOPES.join(' '), redirectUris: [docsRedirectUri(config)] });
}

const REDOC_BUNDLE = createRequire(import.meta.url).resolve('redoc/bundles/redoc.standalone.js');

const REDOC_PAGE = `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${TITLE} - ReDoc</title>
    <link rel="icon" href="${FAVICON_PATH}">
  </head>
  <body>
    <redoc spec-url="/openapi.json"></redoc>
    <script src="/redoc/redoc.standalone.js"></script>
  </body>
</html>
`;

/** The logo ReDoc shows beside "API docs by Redocly" at the foot of its menu, always (no option hides it). */
const REDOC_VENDOR_LOGO = 'https://cdn.redoc.ly/redoc/logo-mini.svg';

/**
 * ReDoc's bundle with its vendor's logo replaced by an empty data: URL, so the page asks nothing of
 * another origin: the image fails to load, ReDoc then leaves it out, and the footer link stays as
 * text. Read on the first request for it and kept for the life of the process (the installed file
 * does not change under it).
 */
let redocBundle: Promise<Buffer> | undefined;
function readRedocBundle(): Promise<Buffer> {
  // latin1 both ways: the bytes go back exactly as they were, but for the replaced URL.
  redocBundle ??= readFile(REDOC_BUNDLE, 'latin1').then((source) => Buffer.from(source.replaceAll(REDOC_VENDOR_LOGO, 'data:,'), 'latin1'));
  return redocBundle;
}

function setUpRedoc(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.get('/redoc', (_request, reply) => reply.type('text/html; charset=utf-8').send(REDOC_PAGE));
  fastify.get('/redoc/redoc.standalone.js', async (_request, reply) =>
    reply.type('application/javascript; charset=utf-8').header('Cache-Control', 'public, max-age=86400').send(await readRedocBundle()),
  );
}

/** Open routes say so (`security: []`) rather than leaving it unsaid, as linters and clients expect. */
function markOpenOperations(document: OpenAPIObject): void {
  for (const path of Object.values(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = path[method];
      if (operation && !operation.security) operation.security = [];
    }
  }
}

export function setUpOpenApi(app: NestFastifyApplication, config: Pick<AppConfig, 'publicUrl'>): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(TITLE)
      .setDescription(
        'Log in at `POST /token` with a username and password (the OAuth2 password grant), then send ' +
          '`Authorization: Bearer <access_token>`. In Swagger UI, use **Authorize** (demo user johndoe / secret): with the password ' +
          'flow, or with the authorization code flow, which signs you in on the service\'s own login page.',
      )
      .setVersion('0.1.0')
      .setLicense('MIT', 'https://opensource.org/licenses/MIT')
      .addServer('/')
      // In this order in Swagger UI and ReDoc: logging in comes first.
      .addTag('auth', 'Log in and refresh (`POST /token`), log out, revoke')
      .addTag('users', 'Your account and sessions; accounts of others (superusers)')
      .addTag('items', 'Your items')
      .addTag('health', 'Liveness and readiness, for load balancers and orchestrators')
      .addOAuth2({ type: 'oauth2', flows: { password: { tokenUrl: 'token', scopes: { ...SCOPES } } } }, OAUTH2_SCHEME)
      // A scheme of its own, so that the tutorial's stays as it is. PKCE, with the docs' public client
      // (initOAuth below); admin is never a client's.
      .addOAuth2(
        { type: 'oauth2', flows: { authorizationCode: { authorizationUrl: 'authorize', tokenUrl: 'token', scopes: { me: SCOPES.me, items: SCOPES.items } } } },
        OAUTH2_CODE_SCHEME,
      )
      .build(),
    // Stable, readable ids for generated clients: the handler's name (`readMe`, `createItem`).
    { operationIdFactory: (_controller: string, method: string) => method },
  );
  markOpenOperations(document);
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'openapi.json',
    yamlDocumentUrl: 'openapi.yaml',
    customSiteTitle: `${TITLE} - Swagger UI`,
    customfavIcon: FAVICON_PATH,
    swaggerOptions: {
      persistAuthorization: true,
      oauth2RedirectUrl: docsRedirectUri(config),
      // No preselected scopes: initOAuth's would apply to the password flow too. None asked: the client's own.
      initOAuth: { clientId: DOCS_CLIENT_ID, usePkceWithAuthorizationCodeGrant: true },
    },
  });
  setUpRedoc(app);
  serveFavicon(app);
}
