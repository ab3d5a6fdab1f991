import { execFileSync } from 'node:child_process';

/** End-to-end specs run the built service as a real process: build it once, fresh, before them. */
export default function buildService(): void {
  if (process.env.E2E_SKIP_BUILD === 'true') return;
  execFileSync('npx', ['nest', 'build', 'order-service'], { stdio: 'inherit' });
}
