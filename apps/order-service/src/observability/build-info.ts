import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface BuildInfo {
  readonly version: string;
  readonly node_version: string;
}

/** The version in the service's package.json: the nearest one above this file, built or not. */
export function buildInfo(): BuildInfo {
  return { version: packageVersion(dirname(fileURLToPath(import.meta.url))), node_version: process.version };
}

function packageVersion(directory: string): string {
  for (let current = directory; ; current = dirname(current)) {
    try {
      const { name, version } = JSON.parse(readFileSync(join(current, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (name === 'order-service' && version) return version;
    } catch {
      // No package.json here: look one level up.
    }
    if (dirname(current) === current) return 'unknown';
  }
}
