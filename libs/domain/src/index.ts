export * from './decider';
export * from './case/case.events';
export * from './case/case.state';
export * from './case/case.decide';
export * from './network/network';
export * from './network/staff';
export * from './protocol/protocol';
export * from './obligation/obligation';
