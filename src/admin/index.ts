export { startAdminServer, type AdminServer, type AdminServerOptions } from './startAdminServer';
export { buildAdminApp, ADMIN_BODY_LIMIT_BYTES, type AdminAppOptions } from './buildAdminApp';
export { tokensMatch, bearerToken } from './tokensMatch';
