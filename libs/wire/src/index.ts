export * from './wire-input';
