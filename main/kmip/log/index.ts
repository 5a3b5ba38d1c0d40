export { describeMessage, formatTtlvTree } from './logger';
export type { KmipLogger, LogFields } from './logger';
export { redactTtlv, REDACTED_TEXT } from './redact';
