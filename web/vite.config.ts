// The web interface's build: Element Plus components and their styles are imported on
// demand (unplugin-vue-components), so the bundle carries only what the screens use.
// `npm run build` writes dist/, which meson embeds in the isms binary (tools/embed.c).
import { fileURLToPath, URL } from 'node:url'
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import AutoImport from 'unplugin-auto-import/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'

export default defineConfig({
  plugins: [
    vue(),
    AutoImport({ resolvers: [ElementPlusResolver()], dts: 'src/auto-imports.d.ts' }),
    Components({ resolvers: [ElementPlusResolver()], dts: 'src/components.d.ts' }),
  ],
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    sourcemap: false,
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      output: {
        // Vue, its router, store and i18n in one long-cached file; Element Plus's components
        // and ECharts go with the screens that use them, so the login page loads only its own.
        manualChunks(id) {
          if (/node_modules\/(@vue|vue|vue-router|pinia|vue-i18n|@intlify)\//.test(id)) return 'vendor'
        },
      },
    },
  },
  // `npm run dev` serves the screens with hot reload and passes /api to a running isms
  // (ISMS_API, default the address of `make run`).
  server: { proxy: { '/api': process.env.ISMS_API ?? 'http://127.0.0.1:8080' } },
})
