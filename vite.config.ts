import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vite";
import solid from "vite-plugin-solid";
import { assetHeadersFile } from "./worker/middleware/security-headers/policy";

/**
 * Writes `_headers` into the build, so the assets binding serves the static client with
 * the same security headers as the API: it answers asset requests before the Worker runs.
 */
function securityHeadersFile(): Plugin {
  return {
    name: "haven-security-headers",
    apply: "build",
    generateBundle() {
      this.emitFile({ type: "asset", fileName: "_headers", source: assetHeadersFile() });
    },
  };
}

/** Builds the SolidJS client into dist/client, which the Worker serves as static assets. */
export default defineConfig({
  root: fileURLToPath(new URL("./client", import.meta.url)),
  plugins: [solid(), securityHeadersFile()],
  build: {
    outDir: fileURLToPath(new URL("./dist/client", import.meta.url)),
    emptyOutDir: true,
    target: "es2022",
  },
});
