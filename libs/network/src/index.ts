export * from './slugify';
export * from './communes';
export * from './youth-aid-divisions';
export * from './organisations';
export * from './competence';
export * from './dinant-network';
