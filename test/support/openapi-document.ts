import { readFileSync } from 'node:fs';

/** docs/openapi.json as committed: what `npm run docs` wrote from the running service. */
export function committedOpenApiText(): string {
  return readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8');
}
