export * from './delivery-lane';
export * from './email';
export * from './outbox';
export * from './webhook-targets';
export * from './webhooks';
