// Jest loads global hooks outside its module transform, so this file loads the TypeScript
// setup through tsx. The setup and the teardown run in the same process and share globalThis.
import { tsImport } from 'tsx/esm/api';

export default async function globalSetup() {
  const { default: setup } = await tsImport('./setup-services.ts', import.meta.url);
  await setup();
}
