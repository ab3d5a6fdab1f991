import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

const KEYWORDS = new Set([
  'and',
  'or',
  'unless',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'offset',
]);

/**
 * The metric names a PromQL expression reads: identifiers that are neither a function call, a
 * keyword, a label (inside braces or a by/without/on list) nor a range or a Grafana variable.
 */
export function metricNamesIn(expression: string): string[] {
  const bare = expression
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '')
    .replace(/\$\w+/g, '');
  return [...bare.matchAll(/[A-Za-z_:][\w:]*/g)]
    .filter(({ index }) => !/^\s*\(/.test(bare.slice(index).replace(/^[\w:]+/, '')))
    .map(([name]) => name)
    .filter((name) => !KEYWORDS.has(name));
}

/** Every expression in the alert rules file and in the dashboard's panels. */
export function observabilityExpressions(): { source: string; expression: string }[] {
  const rules = parse(readFileSync('docker/prometheus/alerts.yml', 'utf8')) as {
    groups: { rules: { alert: string; expr: string }[] }[];
  };
  const dashboard = JSON.parse(readFileSync('docker/grafana/dashboards/order-service.json', 'utf8')) as {
    panels: { title: string; targets?: { expr: string }[] }[];
  };
  return [
    ...rules.groups.flatMap(({ rules: group }) =>
      group.map(({ alert, expr }) => ({ source: `alert ${alert}`, expression: expr })),
    ),
    ...dashboard.panels.flatMap(({ title, targets = [] }) =>
      targets.map(({ expr }) => ({ source: `panel ${title}`, expression: expr })),
    ),
  ];
}
