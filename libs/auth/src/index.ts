export * from './principal';
export * from './password';
export * from './token-verifier';
export * from './local-tokens';
export * from './oidc-verifier';
export * from './login-rate-limiter';
export * from './auth.decorators';
export * from './auth.guard';
