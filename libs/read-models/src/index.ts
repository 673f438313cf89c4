export * from './network/network.migrations';
export * from './network/network.projection';
export * from './network/network.queries';
export * from './cases/case-summaries';
export * from './cases/referrals';
export * from './network/credentials';
export * from './protocols/protocol-versions';
export * from './network/staff-accounts';
