import type { CaseEventType } from '@relais/domain';
import { CASE_EVENT_COMMUNE_FIELDS, CASE_EVENT_FIELDS } from './case-event-fields';
import type { Condition, ProtocolDefinition, RuleDefinition } from './protocol-definition';
import type { DocumentPath, Finding } from './protocol-problem';

/** What a schema cannot see: real dates, unique rule ids, and fields the trigger event has. */
export function checkProtocol(protocol: ProtocolDefinition): readonly Finding[] {
  const findings: Finding[] = [];
  if (!isCalendarDate(protocol.effectiveFrom)) {
    findings.push({
      at: ['effectiveFrom'],
      code: 'PROTOCOL_NOT_A_CALENDAR_DATE',
      params: { date: protocol.effectiveFrom },
      message: `${protocol.effectiveFrom} is not a calendar date`,
    });
  }
  const firstWithId = new Map<string, number>();
  protocol.rules.forEach((rule, index) => {
    const first = firstWithId.get(rule.id);
    if (first === undefined) firstWithId.set(rule.id, index);
    else
      findings.push({
        at: ['rules', index, 'id'],
        code: 'PROTOCOL_DUPLICATE_RULE_ID',
        params: { id: rule.id, first },
        message: `${rule.id} is already the id of rules[${first}]`,
      });
    findings.push(...checkRule(rule, ['rules', index]));
  });
  return findings;
}

function checkRule(rule: RuleDefinition, at: DocumentPath): Finding[] {
  const event = rule.trigger.event;
  const findings: Finding[] = [];
  rule.share.forEach((field, index) => {
    if (!hasField(event, field)) {
      findings.push({ at: [...at, 'share', index], ...unknownField(event, field) });
    }
  });
  findings.push(
    ...checkConditions(event, rule.trigger.conditions, [...at, 'trigger', 'conditions']),
  );
  rule.recipients.forEach((recipient, index) => {
    const recipientAt = [...at, 'recipients', index];
    if ('communeField' in recipient) {
      findings.push(
        ...checkCommuneField(event, recipient.communeField, [...recipientAt, 'communeField']),
      );
    }
    findings.push(...checkConditions(event, recipient.when, [...recipientAt, 'when']));
  });
  return findings;
}

function checkConditions(
  event: CaseEventType,
  conditions: readonly Condition[] | undefined,
  at: DocumentPath,
): Finding[] {
  return (conditions ?? []).flatMap((condition, index) => {
    if ('communeField' in condition) {
      return checkCommuneField(event, condition.communeField, [...at, index, 'communeField']);
    }
    return hasField(event, condition.field)
      ? []
      : [{ at: [...at, index, 'field'], ...unknownField(event, condition.field) }];
  });
}

function checkCommuneField(event: CaseEventType, field: string, at: DocumentPath): Finding[] {
  const communeFields = CASE_EVENT_COMMUNE_FIELDS[event] ?? [];
  if (communeFields.includes(field)) return [];
  if (communeFields.length === 0)
    return [
      {
        at,
        code: 'PROTOCOL_EVENT_HAS_NO_COMMUNE',
        params: { event },
        message: `${event} has no field holding a commune`,
      },
    ];
  const fields = communeFields.join(', ');
  return [
    {
      at,
      code: 'PROTOCOL_NOT_A_COMMUNE_FIELD',
      params: { event, fields },
      message: `must be a field of ${event} holding a commune: ${fields}`,
    },
  ];
}

function hasField(event: CaseEventType, field: string): boolean {
  return CASE_EVENT_FIELDS[event].includes(field);
}

function unknownField(event: CaseEventType, field: string): Omit<Finding, 'at'> {
  const fields = CASE_EVENT_FIELDS[event].join(', ');
  return {
    code: 'PROTOCOL_EVENT_HAS_NO_FIELD',
    params: { event, field, fields },
    message: `${event} has no field ${field} (its fields: ${fields})`,
  };
}

function isCalendarDate(isoDate: string): boolean {
  const [year, month, day] = isoDate.split('-').map(Number);
  if (year === undefined || month === undefined || day === undefined) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  );
}
