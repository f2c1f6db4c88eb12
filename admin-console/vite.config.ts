import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  build: {
    // One chunk per page keeps the first paint small; vendor code is shared.
    chunkSizeWarningLimit: 700,
  },
  server: {
    // `npm run dev` talks to the local gateway's APIs.
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
