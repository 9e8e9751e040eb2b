import { defineConfig } from '@playwright/test';

// The server is started by scripts/test (fresh database, free port) and passed
// in as BASE_URL. Browsers are never downloaded: we drive Debian's Chromium.
const isCI = !!process.env.CI;

export default defineConfig({
  testDir: './tests',
  outputDir: './test-results',
  timeout: 60_000,
  // Debug builds ship a large, unoptimised WASM: give hydration some room.
  expect: { timeout: 15_000 },
  forbidOnly: isCI,
  retries: 0,
  workers: isCI ? 1 : undefined,
  // list for people; json so scripts/test can print one closing count line.
  reporter: [['list'], ['json', { outputFile: './test-results/results.json' }]],
  use: {
    baseURL: process.env.BASE_URL ?? 'http://127.0.0.1:3000',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        browserName: 'chromium',
        viewport: { width: 1280, height: 800 },
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
          // The machine has no network beyond loopback: keep Chromium from
          // phoning home (its refused connections are slow and noisy).
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
            '--disable-quic',
          ],
        },
      },
    },
  ],
});
