import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { Call, demoToken } from './api';
import { eventually } from './relais-app';

export const SHIPPED_PROTOCOL = join(__dirname, '../../protocols/dinant-cpas-saj.yaml');

export interface ProtocolRuleDocument {
  id: string;
  [setting: string]: unknown;
}

/**
 * Version 2 of the shipped Dinant protocol, with the rules changed as given, drafted by the
 * coordination and signed by each of its signatories' managers: in force from `effectiveFrom`.
 */
export async function adoptVersion2(
  call: Call,
  effectiveFrom: string,
  change: (rule: ProtocolRuleDocument) => void,
): Promise<void> {
  const document = parse(await readFile(SHIPPED_PROTOCOL, 'utf8')) as {
    version: number;
    effectiveFrom: string;
    rules: ProtocolRuleDocument[];
  };
  document.version = 2;
  document.effectiveFrom = effectiveFrom;
  document.rules.forEach(change);
  const coordination = await demoToken(call, 'coordination@relais.demo');
  const answer = await call<{ signatories: string[] }>(
    'POST',
    '/api/v1/protocols',
    coordination,
    document,
  );
  if (answer.status !== 201) throw new Error(`Version 2 was not drafted: ${answer.status}`);
  const drafted = answer.body;
  for (const organisationId of drafted.signatories) {
    const chef = await demoToken(call, `chef@${organisationId}.demo`);
    const signed = await call(
      'POST',
      '/api/v1/protocols/dinant-cpas-saj/versions/2/signatures',
      chef,
    );
    if (signed.status !== 201)
      throw new Error(`${organisationId} could not sign: ${signed.status}`);
  }
  await eventually(async () => {
    const view = await call<{ versions: { version: number; status: string }[] }>(
      'GET',
      '/api/v1/protocols/dinant-cpas-saj',
      coordination,
    );
    return view.body.versions.some((v) => v.version === 2 && v.status === 'adopted');
  });
}
