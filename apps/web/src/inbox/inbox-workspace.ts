/** The inbox and outgoing pages: loaded the first time one of them opens. */
export { InboxPage } from './inbox-page.js';
export { OutgoingPage } from './outgoing-page.js';
