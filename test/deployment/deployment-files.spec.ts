import { existsSync, readFileSync } from 'node:fs';
import { PATH_METADATA } from '@nestjs/common/constants.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { topologyOf } from '../../apps/order-service/src/outbound/amqp/amqp-topology.js';
import { SHUTDOWN_GRACE_MS } from '../../apps/order-service/src/app.module.js';
import {
  applyApiKeyPolicy,
  DEVELOPMENT_API_KEY,
  Environment,
  loadEnvironment,
} from '../../apps/order-service/src/config/environment.js';
import { HealthHttpController } from '../../apps/order-service/src/health/health.http-controller.js';
import { K8S_FILES, k8sManifests } from './k8s-manifests.js';

/*
 * docker/ cannot be run here (no Docker, no cluster): these checks hold its files to the service
 * itself, so that renaming a variable, a route or a timeout in the code fails here, not in a deploy.
 */

/** The parts of the files that the checks read. */
type Variables = Record<string, string>;
interface Probe {
  httpGet: { path: string; port: string | number };
}
interface PodAffinityTerm {
  topologyKey: string;
  labelSelector: { matchLabels: Variables };
}
interface Container {
  ports?: { name: string; containerPort: number }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  env?: { name: string; value: string }[];
  resources: { requests: Variables; limits: Variables };
  startupProbe: Probe;
  livenessProbe: Probe;
  readinessProbe: Probe;
  lifecycle: { preStop: { exec: { command: string[] } } };
}
interface PodTemplate {
  metadata: { labels: Variables; annotations: Variables };
  spec: {
    terminationGracePeriodSeconds: number;
    securityContext: { runAsNonRoot: boolean };
    containers: Container[];
    affinity: {
      podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: { podAffinityTerm: PodAffinityTerm }[] };
    };
  };
}
interface RabbitPolicy {
  pattern: string;
  definition: Record<string, string | number>;
}
interface K8sObject {
  kind: string;
  metadata: { name: string };
  data?: Variables;
  stringData?: Variables;
  spec: {
    template: PodTemplate;
    selector: Variables & { matchLabels: Variables };
    ports: { targetPort: string | number }[];
    scaleTargetRef: { kind: string; name: string };
    minReplicas: number;
    minAvailable: number;
    replicas: number;
    rabbitmq: { additionalConfig: string };
    affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: PodAffinityTerm[] } };
    rabbitmqClusterReference: { name: string };
  } & RabbitPolicy;
}
interface ComposeService {
  image?: string;
  command?: string[];
  environment: Variables;
  ports: string[];
  healthcheck: { test: string[] };
  stop_grace_period: string;
}

const file = (path: string) => readFileSync(new URL(`../../docker/${path}`, import.meta.url), 'utf8');
const manifests = k8sManifests.map(({ object }) => object as unknown as K8sObject);
const manifest = (kind: string, name?: string): K8sObject => {
  const found = manifests.find((m) => m.kind === kind && (name === undefined || m.metadata.name === name));
  if (!found) throw new Error(`no ${kind} ${name ?? ''} in docker/k8s`);
  return found;
};
// Compose files use YAML merge keys (`<<: *anchor`), which YAML 1.2 leaves off by default.
const compose = parse(file('docker-compose.yml'), { merge: true }) as { services: Record<string, ComposeService> };
const definitions = JSON.parse(file('rabbitmq/definitions.json')) as {
  users: Record<string, unknown>[];
  permissions: { user: string; configure: string; write: string; read: string }[];
  policies: RabbitPolicy[];
  vhosts: { metadata: { default_queue_type: string } }[];
};
const kustomization = parse(file('k8s/kustomization.yaml')) as { resources: string[] };

const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  engines: Variables;
  scripts: Variables;
  devDependencies: Variables;
};
const defaults = new Environment();
const route = (handler: object) =>
  `/${Reflect.getMetadata(PATH_METADATA, HealthHttpController)}/${Reflect.getMetadata(PATH_METADATA, handler)}`;
const LIVE = route(HealthHttpController.prototype.live);
const READY = route(HealthHttpController.prototype.ready);
/** The longest a SIGTERM keeps the service busy: deliveries in hand, then the outbox drain's deadline. */
const SHUTDOWN_MS = SHUTDOWN_GRACE_MS + defaults.SHUTDOWN_OUTBOX_DRAIN_MS;

/** The compose services that run the order service's own code (not the examples, not the infrastructure). */
const composeServiceContainers = Object.entries(compose.services).filter(
  ([, service]) => service.image === 'order-service:local' && !String(service.command).includes('product-'),
);

/** A container's environment as Kubernetes assembles it from envFrom and env. */
function podEnvironment(container: Container): Variables {
  const fromSources = (container.envFrom ?? []).map((source) => {
    const found = source.configMapRef
      ? manifest('ConfigMap', source.configMapRef.name)
      : manifest('Secret', source.secretRef!.name);
    return { ...found.data, ...found.stringData };
  });
  const direct = Object.fromEntries((container.env ?? []).map((entry) => [entry.name, entry.value]));
  return Object.assign({}, ...fromSources, direct) as Variables;
}

const deployment = manifest('Deployment', 'order-service');
const pod = deployment.spec.template.spec;
const [container] = pod.containers;
const migrationPod = manifest('Job').spec.template.spec;
const service = compose.services['order-service'];
const prometheus = parse(file('prometheus/prometheus.yml')) as {
  scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
};

describe('docker/ against the service', () => {
  it('sets only variables the service reads, with values it accepts', () => {
    expect(composeServiceContainers.map(([name]) => name)).toEqual(['migrate', 'order-service']);
    const environments = [
      ...composeServiceContainers.map(([, each]) => each.environment),
      podEnvironment(container),
      podEnvironment(migrationPod.containers[0]),
    ];
    for (const environment of environments) {
      expect(Object.keys(defaults)).toEqual(expect.arrayContaining(Object.keys(environment)));
      expect(() => loadEnvironment({ ...environment, NODE_ENV: 'production' })).not.toThrow();
    }
  });

  it('applies no Secret: the example one stays out of the kustomization, and production refuses its placeholders', () => {
    const applied = k8sManifests
      .filter(({ file: name }) => kustomization.resources.includes(name))
      .map(({ object }) => object.kind);
    expect(applied).not.toContain('Secret');
    expect(K8S_FILES).toContain('secret.example.yaml');
    const example = podEnvironment(container);
    expect(() => applyApiKeyPolicy(loadEnvironment({ ...example, NODE_ENV: 'production' }))).toThrow(
      /API_KEYS holds the development key or a placeholder.*\n.*DATABASE_URL has a placeholder password.*\n.*RABBITMQ_URL/s,
    );
    expect(() =>
      applyApiKeyPolicy(loadEnvironment({ NODE_ENV: 'production', API_KEYS: DEVELOPMENT_API_KEY })),
    ).toThrow();
    expect(podEnvironment(container).NODE_ENV).toBe('production');
  });

  it('starts on the development key only from npm start, never from start:prod or the image', () => {
    const scripts = (
      JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
        scripts: Record<string, string>;
      }
    ).scripts;
    expect(scripts.start).toMatch(/NODE_ENV=development npm run start:prod$/);
    expect(scripts['start:prod']).not.toContain('NODE_ENV=development');
    expect(file('Dockerfile')).toMatch(/^ENV NODE_ENV=production$/m);
    expect(new Environment().NODE_ENV).toBe('production');
  });

  it('gives the service a least-privilege RabbitMQ user with no password in the repository', () => {
    const [user] = definitions.users;
    expect(definitions.users).toHaveLength(1);
    expect(user).not.toHaveProperty('password_hash');
    expect(user).not.toHaveProperty('password');
    expect(user.tags).toEqual([]);
    const [permission] = definitions.permissions;
    expect(definitions.permissions).toHaveLength(1);
    expect(permission.user).toBe(user.name);
    const names = [
      defaults.INBOUND_EXCHANGE,
      defaults.INBOUND_QUEUE,
      defaults.DEAD_LETTER_EXCHANGE,
      defaults.DEAD_LETTER_QUEUE,
      defaults.EVENTS_EXCHANGE,
      defaults.EVENTS_QUEUE,
    ];
    for (const pattern of [permission.configure, permission.write, permission.read].map((text) => new RegExp(text))) {
      for (const name of names) expect(pattern.test(name), name).toBe(true);
      for (const foreign of [
        '',
        'amq.default',
        'amq.topic',
        'other-service.queue',
        'orders.inbound.x',
        'xorders.events',
      ]) {
        expect(pattern.test(foreign), foreign).toBe(false);
      }
    }
  });

  it('installs the production dependencies of the image without install scripts', () => {
    const stage = file('Dockerfile')
      .split(/^FROM /m)
      .find((each) => each.includes('AS production-dependencies'))!;
    expect(stage).toMatch(/npm ci --omit=dev --ignore-scripts/);
  });

  it('exposes the default HTTP and management ports everywhere, and only the API through the Service', () => {
    const [port, management] = [defaults.HTTP_PORT, defaults.MANAGEMENT_PORT];
    expect(container.ports).toEqual([
      { name: 'http', containerPort: port },
      { name: 'management', containerPort: management },
    ]);
    expect(Number(podEnvironment(container).HTTP_PORT ?? port)).toBe(port);
    expect(Number(podEnvironment(container).MANAGEMENT_PORT ?? management)).toBe(management);
    expect(manifest('Service').spec.ports.map(({ targetPort }) => targetPort)).toEqual(['http']);
    expect(service.ports).toEqual([`${port}:${port}`]);
    expect(file('Dockerfile')).toMatch(new RegExp(`^EXPOSE ${port} ${management}$`, 'm'));
  });

  it('probes and scrapes the management port, outside the API traffic', () => {
    const management = defaults.MANAGEMENT_PORT;
    expect([LIVE, READY]).toEqual(['/health/live', '/health/ready']);
    expect(container.startupProbe.httpGet).toEqual({ path: LIVE, port: 'management' });
    expect(container.livenessProbe.httpGet).toEqual({ path: LIVE, port: 'management' });
    expect(container.readinessProbe.httpGet).toEqual({ path: READY, port: 'management' });
    expect(service.healthcheck.test.join(' ')).toContain(`:${management}${READY}`);
    expect(deployment.spec.template.metadata.annotations['prometheus.io/port']).toBe(String(management));
    const [job] = prometheus.scrape_configs;
    expect(job.static_configs[0].targets).toEqual([`order-service:${management}`]);
  });

  it('gives a stopping pod more time than the service takes to shut down', () => {
    const preStopMs = Number(container.lifecycle.preStop.exec.command[1]) * 1000;
    expect(pod.terminationGracePeriodSeconds * 1000).toBeGreaterThan(preStopMs + SHUTDOWN_MS);
    expect(Number.parseInt(service.stop_grace_period, 10) * 1000).toBeGreaterThan(SHUTDOWN_MS);
  });

  it('runs the service as non-root with resource requests and limits', () => {
    for (const spec of [pod, migrationPod]) {
      expect(spec.securityContext.runAsNonRoot).toBe(true);
      for (const each of spec.containers) {
        expect(Object.keys(each.resources.requests)).toEqual(['cpu', 'memory']);
        expect(Object.keys(each.resources.limits)).toEqual(['cpu', 'memory']);
      }
    }
    const runtimeStage = file('Dockerfile')
      .split(/^FROM /m)
      .at(-1)!;
    expect(runtimeStage).toMatch(/^USER node$/m);
    expect(file('Dockerfile')).toContain('npm ci --omit=dev');
  });

  it('starts the image as npm run start:prod does, on the pinned runtime', () => {
    const cmd = /^CMD (\[.*\])$/m.exec(file('Dockerfile'))?.[1];
    expect(JSON.parse(cmd ?? '[]')).toEqual(packageJson.scripts['start:prod'].split(' '));
    const image = /^ARG NODE_IMAGE=node:([\d.]+)-/m.exec(file('Dockerfile'))?.[1];
    expect(image).toBe(packageJson.devDependencies.node);
    expect(packageJson.engines.node).toBe(`${image!.split('.')[0]}.x`);
  });

  it('points the autoscaler, the disruption budget and the Service at the Deployment pods', () => {
    const labels = deployment.spec.template.metadata.labels;
    const autoscaler = manifest('HorizontalPodAutoscaler').spec;
    const budget = manifest('PodDisruptionBudget').spec;
    expect(autoscaler.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: 'order-service' });
    expect(labels).toMatchObject(budget.selector.matchLabels);
    expect(labels).toMatchObject(manifest('Service').spec.selector);
    expect(budget.minAvailable).toBeLessThan(autoscaler.minReplicas);
  });

  it('spreads the service replicas over nodes, and keeps one through a voluntary disruption', () => {
    const labels = deployment.spec.template.metadata.labels;
    const [preferred] = pod.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution;
    expect(preferred.podAffinityTerm.topologyKey).toBe('kubernetes.io/hostname');
    expect(labels).toMatchObject(preferred.podAffinityTerm.labelSelector.matchLabels);
    expect(manifest('PodDisruptionBudget').spec.minAvailable).toBeGreaterThanOrEqual(1);
  });

  it('runs RabbitMQ as three nodes on three Kubernetes nodes, with quorum queues by default', () => {
    const cluster = manifest('RabbitmqCluster');
    expect(cluster.spec.replicas).toBe(3);
    expect(cluster.spec.rabbitmq.additionalConfig).toMatch(/^default_queue_type = quorum$/m);
    const [spread] = cluster.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution;
    expect(spread).toEqual({
      topologyKey: 'kubernetes.io/hostname',
      labelSelector: { matchLabels: { 'app.kubernetes.io/name': cluster.metadata.name } },
    });
    for (const policy of manifests.filter(({ kind }) => kind === 'Policy')) {
      expect(policy.spec.rabbitmqClusterReference.name).toBe(cluster.metadata.name);
    }
    // The operator's Service carries the cluster's name: the broker host the service connects to.
    expect(new URL(podEnvironment(container).RABBITMQ_URL).hostname).toBe(cluster.metadata.name);
  });

  it('starts only built entry points whose source exists, here and in the npm scripts', () => {
    const texts = [
      file('Dockerfile'),
      file('docker-compose.yml'),
      ...K8S_FILES.map((name) => file(`k8s/${name}`)),
      readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
    ];
    const sources = texts.flatMap((text) =>
      [...text.matchAll(/dist\/(apps\/[\w/.-]+)\.js/g)].map(([, path]) => `${path}.ts`),
    );
    expect(sources).toEqual(
      expect.arrayContaining([
        'apps/order-service/src/main.ts',
        'apps/order-service/src/cli/migrate.ts',
        'apps/order-service/src/cli/dlq-replay.ts',
      ]),
    );
    expect(sources.filter((path) => !existsSync(new URL(`../../${path}`, import.meta.url)))).toEqual([]);
  });

  it('lists every manifest but the example Secret in the kustomization', () => {
    const manifestsToApply = K8S_FILES.filter((name) => !name.endsWith('.example.yaml'));
    expect([...kustomization.resources].sort()).toEqual([...manifestsToApply].sort());
  });

  it('dead-letters the inbound queue after a bounded number of deliveries, after the service gives up itself', () => {
    const operatorPolicy = manifest('Policy').spec;
    for (const policy of [definitions.policies[0], operatorPolicy]) {
      const pattern = new RegExp(policy.pattern);
      expect(pattern.test(defaults.INBOUND_QUEUE)).toBe(true);
      expect(pattern.test(defaults.DEAD_LETTER_QUEUE) || pattern.test(defaults.EVENTS_QUEUE)).toBe(false);
      expect(policy.definition['dead-letter-exchange']).toBe(defaults.DEAD_LETTER_EXCHANGE);
      expect(policy.definition['delivery-limit']).toBe(topologyOf(defaults).inboundDeliveryLimit);
      expect(policy.definition['delivery-limit']).toBeGreaterThan(defaults.PROCESSING_MAX_DELIVERIES);
    }
    expect(operatorPolicy.definition).toEqual(definitions.policies[0].definition);
    expect(definitions.vhosts[0].metadata.default_queue_type).toBe('quorum');
  });

  it('dead-letters the payments queue the same way, to its own dead-letter exchange', () => {
    const operatorPolicy = manifest('Policy', 'order-service-payments').spec;
    for (const policy of [definitions.policies[1], operatorPolicy]) {
      const pattern = new RegExp(policy.pattern);
      expect(pattern.test(defaults.PAYMENTS_QUEUE)).toBe(true);
      expect(pattern.test(defaults.PAYMENTS_DEAD_LETTER_QUEUE) || pattern.test(defaults.INBOUND_QUEUE)).toBe(false);
      expect(policy.definition['dead-letter-exchange']).toBe(defaults.PAYMENTS_DEAD_LETTER_EXCHANGE);
      expect(policy.definition['delivery-limit']).toBe(topologyOf(defaults).inboundDeliveryLimit);
    }
    expect(operatorPolicy.definition).toEqual(definitions.policies[1].definition);
  });
});
