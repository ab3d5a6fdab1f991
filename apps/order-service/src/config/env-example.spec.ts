import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Environment, loadEnvironment } from './environment.js';
import { TRACING_VARIABLES, tracingRequested } from '../observability/tracing/tracing-switch.js';

const ENV_EXAMPLE = new URL('../../../../.env.example', import.meta.url);

/** The settings .env.example assigns, in its own order. */
function listed(): Map<string, string> {
  const assignments = readFileSync(ENV_EXAMPLE, 'utf8')
    .split('\n')
    .map((line) => /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line))
    .filter((match) => match !== null);
  return new Map(assignments.map(([, name, value]) => [name, value]));
}

describe('.env.example', () => {
  it('lists every setting the service reads, and nothing else', () => {
    expect([...listed().keys()].sort()).toEqual([...Object.keys(new Environment()), ...TRACING_VARIABLES].sort());
  });

  it('leaves tracing off', () => {
    expect(tracingRequested(Object.fromEntries(listed()))).toBe(false);
  });

  it("gives each setting the service's own default", () => {
    const fromExample = loadEnvironment(Object.fromEntries(listed())) as unknown as Record<string, unknown>;
    const withoutAnything = loadEnvironment({}) as unknown as Record<string, unknown>;
    for (const name of Object.keys(new Environment())) {
      expect(fromExample[name], name).toEqual(withoutAnything[name]);
    }
  });
});
