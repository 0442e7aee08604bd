/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { precompress } from './build/precompress.ts';

// The API server `vite dev` proxies to (override with ORDER_SYSTEM_API).
const backend = process.env.ORDER_SYSTEM_API ?? 'http://127.0.0.1:8080';

// https://vite.dev/config/
export default defineConfig({
  plugins: [react(), precompress()],
  // Relative to ui/; the Rust server serves ui/dist.
  base: '/',
  server: {
    host: '127.0.0.1',
    port: 5173,
    strictPort: true,
    proxy: {
      '/api': { target: backend, changeOrigin: false },
      '/health': { target: backend, changeOrigin: false },
    },
  },
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    sourcemap: false,
    // Everything is served from 'self'; never inline assets as data: URLs
    // (keeps the CSP simple: no data: needed in img-src/font-src).
    assetsInlineLimit: 0,
    target: 'es2022',
    // Warn when one chunk passes 600 KB (antd's core is the largest).
    chunkSizeWarningLimit: 600,
  },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts', 'build/**/*.test.ts'],
  },
});
