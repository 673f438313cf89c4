/** The administration workspace's pages: loaded the first time one of them opens. */
export { AdminLayout } from './admin-layout.js';
export { OrganisationsPage } from './organisations-page.js';
export { ProtocolsPage } from './protocols-page.js';
export { RetentionPage } from './retention-page.js';
export { StaffPage } from './staff-page.js';
export { WebhookPage } from './webhook-page.js';
