import { readdirSync, readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

const K8S_DIRECTORY = new URL('../../docker/k8s/', import.meta.url);

/** The object files of docker/k8s: kustomization.yaml is kustomize's input, not an object of the API. */
export const K8S_FILES = readdirSync(K8S_DIRECTORY).filter(
  (name) => name.endsWith('.yaml') && name !== 'kustomization.yaml',
);

export interface K8sManifest {
  readonly file: string;
  readonly object: { apiVersion: string; kind: string; metadata: { name: string } };
}

/** Every document of every object file, in file order. */
export const k8sManifests: K8sManifest[] = K8S_FILES.flatMap((file) =>
  parseAllDocuments(readFileSync(new URL(file, K8S_DIRECTORY), 'utf8')).map((document) => ({
    file,
    object: document.toJS() as K8sManifest['object'],
  })),
);
