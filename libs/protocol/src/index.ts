export * from './protocol-definition';
