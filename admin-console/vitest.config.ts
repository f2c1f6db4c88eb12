import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  test: {
    environment: 'jsdom',
    include: ['test/**/*.test.tsx', 'test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    // jsdom renders of Mantine take seconds on this shared 2-core machine: the default 5 s is a load test, not a check.
    testTimeout: 30_000,
  },
});
