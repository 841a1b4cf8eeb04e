import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';

// Run as `vite --config ui/vite.config.ts` from the project root, so the root must not default to the cwd.
const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  plugins: [solid()],
  build: { outDir: 'dist', emptyOutDir: true },
  // `vite` (dev) serves the UI with hot reload while `arrakis start` (default port 8787) answers the API.
  server: { proxy: { '/api': `http://127.0.0.1:${process.env.PORT ?? 8787}` } },
});
