import { defineConfig } from '@playwright/test';

/** The demo password the e2e server seeds with (never used outside tests). */
export const E2E_DEMO_PASSWORD = 'e2e-demo-password-2026';
const port = Number(process.env.E2E_PORT ?? 3100);
const dataDir = `.e2e-data/${port}`;

export default defineConfig({
  testDir: 'test/e2e',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
  webServer: {
    // Each run starts from an empty embedded database seeded with the demo data. (The folder is
    // cleared here, not in this file's body: every worker process loads this file again.)
    command: `rm -rf ${dataDir} && npx tsx src/server/main.ts serve`,
    url: `http://127.0.0.1:${port}/readyz`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    env: {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      DEMO_PASSWORD: E2E_DEMO_PASSWORD,
      LOG_LEVEL: 'warn',
      LOGIN_RATE_LIMIT: '200',
      LOGIN_ADDRESS_RATE_LIMIT: '2000',
      // Sensitive changes ask to confirm one's identity one minute after sign-in (account-security.spec waits for it).
      REAUTH_MINUTES: '1',
      NODE_ENV: 'test',
    },
  },
});
