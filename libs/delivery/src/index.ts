export * from './delivery-lane';
export * from './email';
export * from './outbox';
export * from './notification-email';
export * from './webhook-targets';
export * from './webhooks';
