/** The data protection officer's pages: loaded the first time one of them opens. */
export { AccessLogPage } from './access-log-page.js';
export { ErasuresPage } from './erasures-page.js';
export { PeoplePage } from './people-page.js';
export { RetentionPage } from './retention-page.js';
