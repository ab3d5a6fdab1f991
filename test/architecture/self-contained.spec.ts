import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// A fresh clone is all a newcomer has: nothing in it may point at a file beside or above it.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Tracked files and new ones not ignored; the lock file's URLs are the registry's, not ours. */
const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: root })
  .toString('utf8')
  .split('\0')
  .filter((file) => file !== '' && file !== 'package-lock.json' && existsSync(join(root, file)));

const textOf = (file: string) => readFileSync(join(root, file), 'utf8');

// Built from parts so that this file does not match itself.
const OUTSIDE_REFERENCES: readonly RegExp[] = [
  new RegExp(['\\.\\.', 'shared'].join('/')),
  new RegExp(['(^|[\\s\'"`(=])', 'work', ''].join('/')),
  new RegExp(['tmp', 'helpers'].join('/')),
  new RegExp(['CONTRACT', 'md'].join('\\.')),
];

describe('the repository stands on its own', () => {
  it('lists its files', () => {
    expect(files).toContain('package.json');
  });

  it('names no path outside the repository', () => {
    const offenders = files.flatMap((file) =>
      textOf(file)
        .split('\n')
        .flatMap((line, index) =>
          OUTSIDE_REFERENCES.some((pattern) => pattern.test(line)) ? [`${file}:${index + 1}: ${line.trim()}`] : [],
        ),
    );
    expect(offenders).toEqual([]);
  });

  it('links, in its Markdown documents, only to files inside it that exist', () => {
    const broken = files
      .filter((file) => file.endsWith('.md'))
      .flatMap((file) =>
        [...textOf(file).matchAll(/\]\(([^)\s]+)\)/g)]
          .map(([, target]) => target.split('#')[0])
          .filter((target) => target !== '' && !/^[a-z]+:/i.test(target))
          .filter((target) => {
            const path = resolve(root, dirname(file), target);
            return relative(root, path).startsWith('..') || !existsSync(path);
          })
          .map((target) => `${file}: ${target}`),
      );
    expect(broken).toEqual([]);
  });
});
