export { dashboardRoutes } from './routes.js';
export type { DashboardOptions } from './routes.js';
export { SessionStore } from './sessions.js';
