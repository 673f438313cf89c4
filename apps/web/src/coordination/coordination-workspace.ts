/** The coordination workspace's pages: loaded the first time one of them opens. */
export { BodiesPage, BodyPage } from './bodies-page.js';
export { MeetingPage } from './meeting-page.js';
export { MembersPage } from './members-page.js';
export { MinutesPage } from './minutes-page.js';
