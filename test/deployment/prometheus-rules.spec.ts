import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { metricNamesIn } from '../support/promql-metric-names.js';

/** promtool's output, or a failure that says how to get it (CI installs Debian's `prometheus` package). */
function promtool(...args: string[]): string {
  const run = spawnSync('promtool', args, { encoding: 'utf8' });
  if (run.error) {
    throw new Error(
      `promtool is needed to check docker/prometheus (${run.error.message}); install it with ` +
        '`apt-get install -y --no-install-recommends prometheus` (.ci/run does)',
    );
  }
  expect(run.status, `${run.stdout}${run.stderr}`).toBe(0);
  return run.stdout;
}

// promtool is a separate process: on a busy machine its start alone can take seconds.
describe('the Prometheus configuration in docker/prometheus', { timeout: 60_000 }, () => {
  it('holds valid alert rules', () => {
    expect(promtool('check', 'rules', 'docker/prometheus/alerts.yml')).toMatch(/SUCCESS: 7 rules found/);
  });

  it('fires each alert in its unit tests when, and only when, it should', () => {
    expect(promtool('test', 'rules', 'docker/prometheus/alerts.test.yml')).toMatch(/SUCCESS/);
  });

  it('is a valid scrape configuration that loads the alert rules', () => {
    expect(promtool('check', 'config', 'docker/prometheus/prometheus.yml')).toMatch(/1 rule files found/);
  });
});

describe('metricNamesIn', () => {
  it('finds the metrics an expression reads, not its functions, labels, keywords or ranges', () => {
    expect(
      metricNamesIn(
        'histogram_quantile(0.99, sum by (le, route) (rate(http_request_duration_seconds_bucket{route=~"/orders.*"}[$__rate_interval])))' +
          ' > 0.05 and on() max(inbound_queue_messages) or up{job="order-service"} == 0',
      ),
    ).toEqual(['http_request_duration_seconds_bucket', 'inbound_queue_messages', 'up']);
  });
});
