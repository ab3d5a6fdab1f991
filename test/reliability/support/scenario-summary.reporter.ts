import type { Reporter, TestCase, TestModule } from 'vitest/node';

const INDENT = ' '.repeat(19);

/**
 * Ends a reliability run with each scenario in order: its result, its duration, and the counts of
 * its invariant check (the annotation `expectInvariants` leaves), for CI logs and closing notes.
 */
export default class ScenarioSummaryReporter implements Reporter {
  private readonly title: string;

  /** `title`: the heading of the summary (the suite's name), `reliability scenarios` by default. */
  constructor({ title = 'reliability scenarios' }: { title?: string } = {}) {
    this.title = title;
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const tests = testModules
      .flatMap((module) => [...module.children.allTests()])
      .sort((a, b) => a.fullName.localeCompare(b.fullName, 'en', { numeric: true }));
    const lines = ['', `${this.title}:`, ...tests.flatMap(describeScenario)];
    process.stdout.write(`${lines.join('\n')}\n`);
  }
}

function describeScenario(test: TestCase): string[] {
  const seconds = ((test.diagnostic()?.duration ?? 0) / 1000).toFixed(1);
  const notes = test.annotations().map((annotation) => `${INDENT}${annotation.type}: ${annotation.message}`);
  return [`  ${test.result().state.padEnd(7)} ${seconds.padStart(6)} s  ${test.fullName}`, ...notes];
}
