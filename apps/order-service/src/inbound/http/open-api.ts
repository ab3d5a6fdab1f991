import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** The OpenAPI UI at /docs and its JSON document at /docs/json (also /docs-json, Nest's usual place). */
export function setUpOpenApi(app: NestFastifyApplication): void {
  const config = new DocumentBuilder()
    .setTitle('order-service')
    .setDescription(
      "Product B's queries over calculated orders (contract section 3). Money is always a decimal string " +
        "with the currency's decimal places. Every /orders route needs an API key.",
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'Authorization: Bearer <key>' })
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, 'api-key')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/json' });
  app
    .getHttpAdapter()
    .getInstance()
    .get('/docs-json', (_request, reply) => reply.send(document));
}
