/** Vite's `?raw` imports (used by tests that read the docs): the file's text. */
declare module "*.md?raw" {
  const text: string;
  export default text;
}
