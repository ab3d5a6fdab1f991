/*
 * The custom resources of the RabbitMQ Cluster Operator and the Messaging Topology Operator, which
 * kubernetes-models does not know: the part of each CRD's openAPIV3Schema (rabbitmq.com/v1beta1) that
 * docker/k8s uses, closed to other fields as the API server's strict field validation is. The core
 * types they embed (affinity, resources) are checked against Kubernetes' own schemas apart.
 */

const string = { type: 'string' } as const;
const objectMeta = {
  type: 'object',
  required: ['name'],
  properties: {
    name: string,
    namespace: string,
    labels: { type: 'object', additionalProperties: string },
    annotations: { type: 'object', additionalProperties: string },
  },
  additionalProperties: false,
} as const;

const customResource = (kind: string, spec: object) =>
  ({
    type: 'object',
    required: ['apiVersion', 'kind', 'metadata', 'spec'],
    properties: { apiVersion: { const: 'rabbitmq.com/v1beta1' }, kind: { const: kind }, metadata: objectMeta, spec },
    additionalProperties: false,
  }) as const;

/** From the Cluster Operator's RabbitmqClusterSpec. */
const rabbitmqClusterSpec = {
  type: 'object',
  properties: {
    replicas: { type: 'integer', minimum: 0 },
    image: string,
    resources: { type: 'object' },
    affinity: { type: 'object' },
    persistence: {
      type: 'object',
      properties: { storage: { type: ['string', 'integer'] } },
      additionalProperties: false,
    },
    rabbitmq: {
      type: 'object',
      properties: {
        additionalConfig: { type: 'string', maxLength: 100_000 },
      },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
} as const;

/** From the Messaging Topology Operator's PolicySpec. */
const policySpec = {
  type: 'object',
  required: ['definition', 'name', 'pattern', 'rabbitmqClusterReference'],
  properties: {
    name: string,
    vhost: string,
    pattern: string,
    applyTo: { enum: ['queues', 'classic_queues', 'quorum_queues', 'exchanges', 'all'] },
    priority: { type: 'integer' },
    definition: { type: 'object' },
    rabbitmqClusterReference: {
      type: 'object',
      properties: { name: string },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
} as const;

/** By apiVersion and kind, as in a manifest. */
export const RABBITMQ_OPERATOR_SCHEMAS: Readonly<Record<string, object>> = {
  'rabbitmq.com/v1beta1/RabbitmqCluster': customResource('RabbitmqCluster', rabbitmqClusterSpec),
  'rabbitmq.com/v1beta1/Policy': customResource('Policy', policySpec),
};
