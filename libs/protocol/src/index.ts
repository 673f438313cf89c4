export * from './protocol-definition';
export { CASE_EVENT_COMMUNE_FIELDS, CASE_EVENT_FIELDS } from './case-event-fields';
export { COMPETENT_KINDS, PROTOCOL_SCHEMA } from './protocol.schema';
export { loadProtocolFile, parseProtocolDocument } from './protocol-document';
export type { ProtocolDocumentFormat } from './protocol-document';
export { ProtocolDocumentError } from './protocol-problem';
export type { ProtocolProblem } from './protocol-problem';
