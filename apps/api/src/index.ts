// What the composition root (apps/relais) and the tests may take from the api role.
export { ApiModule } from './api.module';
export { seedDemo, demoAccounts, staffIdOf } from './seed/demo-seed';
export { ProjectionRebuilds } from './admin/projection-rebuilds';
export { DraftProtocolVersion } from './protocols/draft-protocol-version.handler';
export type { DraftedVersion } from './protocols/draft-protocol-version.handler';
