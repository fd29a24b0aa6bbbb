export { startAdminServer, type AdminServer, type AdminServerOptions } from './startAdminServer.ts';
export { buildAdminApp, ADMIN_BODY_LIMIT_BYTES, type AdminAppOptions } from './buildAdminApp.ts';
export { tokensMatch, bearerToken } from './tokensMatch.ts';
