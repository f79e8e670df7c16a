import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { addMultiTokenAuthSecurity } from 'nestjs-multi-token-auth';
import { apiDocsHeaders } from './api-docs.headers';

/**
 * The OpenAPI document of the demo, library routes included: the UI at `/docs`, the JSON at
 * `/docs-json`. Both are served by SwaggerModule itself, outside the global guard.
 */
export function setUpApiDocs(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('multi-token-auth demo')
    .setDescription('Opaque, revocable, per-device bearer tokens: sessions, clients, scopes and API keys.')
    .setVersion('0.1.0')
    .setLicense('MIT', 'https://opensource.org/licenses/MIT')
    // Relative: the API is wherever this document is served from (the demo's own host and port).
    .addServer('/', 'This demo')
    .build();
  const document = addMultiTokenAuthSecurity(app, SwaggerModule.createDocument(app, config));
  // Before SwaggerModule's routes, which set no security headers of their own.
  app.use(['/docs', '/docs-json'], apiDocsHeaders);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
