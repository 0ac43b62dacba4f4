// Production build of the dashboard into web/dist/ (served by the leakscope
// server from the binary with rust-embed). Reproducible: file names carry a
// content hash only, no timestamps; the swagger-ui page for /api/docs is
// copied from the pinned swagger-ui-dist package.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vite";

/** web/, whatever the working directory. */
const root = dirname(fileURLToPath(import.meta.url));
/** An installed package (npm installs these top-level; see package-lock.json). */
const packageDir = (name: string) => join(root, "node_modules", name);

/**
 * Emits dist/api-docs/ (swagger-ui's bundle and CSS, our page and init
 * script) and dist/licenses/ (the licence texts of the bundled packages).
 */
function apiDocsAndLicenses(): Plugin {
  const swaggerDir = packageDir("swagger-ui-dist");
  const licences = ["echarts", "zrender", "tslib", "topojson-client", "world-atlas"].map((name): [string, string] => {
    const dir = packageDir(name);
    const file = ["LICENSE", "LICENSE.txt", "LICENSE.md"].find((f) => existsSync(join(dir, f))) ?? "LICENSE";
    return [`licenses/${name}.txt`, join(dir, file)];
  });
  const files: Array<[string, string]> = [
    ...licences,
    ["licenses/echarts-NOTICE.txt", join(packageDir("echarts"), "NOTICE")],
    ["licenses/README.md", join(root, "LICENSES.md")],
    ["api-docs/swagger-ui-bundle.js", join(swaggerDir, "swagger-ui-bundle.js")],
    ["api-docs/swagger-ui.css", join(swaggerDir, "swagger-ui.css")],
    ["api-docs/LICENSE", join(swaggerDir, "LICENSE")],
    ["api-docs/NOTICE", join(swaggerDir, "NOTICE")],
    ["api-docs/index.html", join(root, "api-docs/index.html")],
    ["api-docs/init.js", join(root, "api-docs/init.js")],
  ];
  return {
    name: "leakscope-static-files",
    apply: "build",
    generateBundle() {
      for (const [fileName, path] of files) {
        this.emitFile({ type: "asset", fileName, source: readFileSync(path) });
      }
    },
  };
}

export default defineConfig({
  base: "/",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    sourcemap: process.env.LEAKSCOPE_SOURCEMAP === "1",
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      output: {
        entryFileNames: "assets/[name]-[hash].js",
        chunkFileNames: "assets/[name]-[hash].js",
        assetFileNames: "assets/[name]-[hash][extname]",
      },
    },
  },
  plugins: [apiDocsAndLicenses()],
});
