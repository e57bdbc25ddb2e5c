import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The buyer page is plain TypeScript built to static files; the API serves them (dist/web) locally and
// CloudFront serves them on AWS, so pages and /api/* share one origin and the session cookie just works.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  publicDir: false,
  build: {
    outDir: fileURLToPath(new URL('../dist/web/', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0,
    reportCompressedSize: false,
  },
  // `npm run dev:web`: a dev server in front of a local API (npm start) on port 3000.
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
