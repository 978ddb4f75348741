/** Variables Vite exposes on `import.meta.env`; only those prefixed with `VITE_` reach the console. */
interface ImportMetaEnv {
  readonly VITE_GRAPHQL_URL?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
