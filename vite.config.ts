import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/** The web client: built from src/web into dist/web, which the server serves at `/`. */
export default defineConfig({
  // Under vitest (when no vitest.config.ts takes precedence) keep the repository root as root.
  root: process.env['VITEST'] ? undefined : 'src/web',
  plugins: [react()],
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    // Security: no source maps in the build the server serves (they would publish the client's whole source).
    sourcemap: false,
    rolldownOptions: {
      output: {
        // Libraries change less often than the app: separate chunks cache better.
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
            { name: 'mantine', test: /node_modules[\\/](@mantine|@floating-ui)[\\/]/ },
            { name: 'vendor', test: /node_modules[\\/]/ },
          ],
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false },
    },
  },
});
