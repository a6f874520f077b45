export * from './errors';
export * from './ticket';
export * from './template';
export * from './mailbox-settings';
export * from './health';
export * from './parsed-email';
export * from './decision';
