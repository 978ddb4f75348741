/**
 * Variables Vite exposes on `import.meta.env`. Only those prefixed with `VITE_` reach the browser.
 */
interface ImportMetaEnv {
  readonly VITE_GRAPHQL_URL?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
