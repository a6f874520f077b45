/**
 * The only thing other packages may take from the API: the type of its routes,
 * for a typed hono/client (`hc<AppType>(baseUrl)`). A type-only export, so the
 * admin app never bundles server code.
 */
export type { App as AppType } from './app/create-app';
