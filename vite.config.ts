import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import solid from "vite-plugin-solid";

/** Builds the SolidJS client into dist/client, which the Worker serves as static assets. */
export default defineConfig({
  root: fileURLToPath(new URL("./client", import.meta.url)),
  plugins: [solid()],
  build: {
    outDir: fileURLToPath(new URL("./dist/client", import.meta.url)),
    emptyOutDir: true,
    target: "es2022",
  },
});
