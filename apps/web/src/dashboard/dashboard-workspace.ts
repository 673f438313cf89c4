/** The dashboard: loaded the first time it opens (Chart.js comes later still, with the first chart). */
export { DashboardPage } from './dashboard-page.js';
