/** The case work workspace's pages: loaded the first time one of them opens. */
export { CasePage } from './case-page.js';
export { CasesPage } from './cases-page.js';
export { EventFormPage } from './event-form-page.js';
export { OpenCasePage } from './open-case-page.js';
