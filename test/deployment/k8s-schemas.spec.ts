import { Ajv } from 'ajv';
import { Affinity, ResourceRequirements } from 'kubernetes-models/v1';
import { describe, expect, it } from 'vitest';
import { type K8sManifest, k8sManifests } from './k8s-manifests.js';
import { RABBITMQ_OPERATOR_SCHEMAS } from './rabbitmq-operator.schemas.js';

/*
 * Each manifest of docker/k8s against the OpenAPI schema of its kind, offline: Kubernetes' own for
 * the built-in kinds (kubernetes-models' generated validators), the operators' CRDs in part for the
 * custom ones. Those schemas check types, required fields and enumerations; Kubernetes' OpenAPI does
 * not close objects to unknown fields, so a misspelt field of a built-in kind is the API server's to
 * refuse (kubectl's strict field validation).
 */

type Model = new (data: object) => { validate(): void };

// Union types: a quantity (storage) is an integer or a string, as Kubernetes' int-or-string.
const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
const customResourceChecks = new Map(
  Object.entries(RABBITMQ_OPERATOR_SCHEMAS).map(([key, schema]) => [key, ajv.compile(schema)]),
);

/** Throws with every problem of the manifest, named by its file, kind and name. */
async function validate({ file, object }: K8sManifest): Promise<void> {
  const key = `${object.apiVersion}/${object.kind}`;
  const named = `${file}: ${key} ${object.metadata.name}`;
  const check = customResourceChecks.get(key);
  if (check !== undefined) {
    if (!check(object)) throw new Error(`${named}: ${ajv.errorsText(check.errors)}`);
    return;
  }
  // kubernetes-models has one module per API group and version (`kubernetes-models/apps/v1`), one class per kind.
  const models = (await import(/* @vite-ignore */ `kubernetes-models/${object.apiVersion}`)) as Record<
    string,
    Model | undefined
  >;
  const KindModel = models[object.kind];
  if (KindModel === undefined) throw new Error(`${named}: no schema for its kind`);
  new KindModel(object).validate();
}

describe('docker/k8s against the Kubernetes schemas', () => {
  it.each(k8sManifests.map((manifest) => [manifest.file, manifest.object.kind, manifest] as const))(
    '%s: %s',
    async (_file, _kind, manifest) => {
      await expect(validate(manifest)).resolves.toBeUndefined();
    },
  );

  it('finds the mistakes a schema catches, in built-in and custom kinds alike', async () => {
    const [deployment, cluster, policy] = ['Deployment', 'RabbitmqCluster', 'Policy'].map((kind) =>
      structuredClone(k8sManifests.find(({ object }) => object.kind === kind)!),
    );
    const deploymentSpec = (deployment.object as unknown as { spec: Record<string, unknown> }).spec;
    deploymentSpec.replicas = 'two';
    delete deploymentSpec.selector;
    await expect(validate(deployment)).rejects.toThrow(/selector.*replicas|replicas.*selector/s);
    (cluster.object as unknown as { spec: Record<string, unknown> }).spec.replica = 3;
    await expect(validate(cluster)).rejects.toThrow(/must NOT have additional properties/);
    (policy.object as unknown as { spec: Record<string, unknown> }).spec.applyTo = 'quorum-queues';
    await expect(validate(policy)).rejects.toThrow(/applyTo must be equal to one of the allowed values/);
  });

  it('checks the core types inside the RabbitmqCluster against their Kubernetes schemas', () => {
    const { spec } = k8sManifests.find(({ object }) => object.kind === 'RabbitmqCluster')!.object as unknown as {
      spec: { affinity: object; resources: object };
    };
    expect(() => new Affinity(spec.affinity).validate()).not.toThrow();
    expect(() => new ResourceRequirements(spec.resources).validate()).not.toThrow();
  });
});
