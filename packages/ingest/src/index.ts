export * from './policy/skip-windows';
export * from './policy/retry-policy';
