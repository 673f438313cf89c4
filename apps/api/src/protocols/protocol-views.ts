import { Injectable, NotFoundException } from '@nestjs/common';
import { ProtocolDefinition } from '@relais/protocol';
import { ProtocolVersionRow, ProtocolVersions } from '@relais/read-models';
import type { ProtocolVersionView, ProtocolView } from '@relais/wire';

/** Protocols as the network reads them, from the `protocol_versions` read model. */
@Injectable()
export class ProtocolViews {
  constructor(private readonly versions: ProtocolVersions) {}

  async list(): Promise<ProtocolView[]> {
    const byProtocol = new Map<string, ProtocolVersionRow[]>();
    for (const row of await this.versions.all()) {
      byProtocol.set(row.protocolId, [...(byProtocol.get(row.protocolId) ?? []), row]);
    }
    return [...byProtocol.values()].map((rows) => protocolView(rows, false));
  }

  async get(protocolId: string): Promise<ProtocolView> {
    const rows = await this.versions.of(protocolId);
    if (rows.length === 0) {
      throw new NotFoundException({
        message: `No protocol ${protocolId}`,
        code: 'PROTOCOL_NOT_FOUND',
      });
    }
    return protocolView(rows, true);
  }
}

function protocolView(rows: readonly ProtocolVersionRow[], withRules: boolean): ProtocolView {
  const versions = rows.map((row): ProtocolVersionView => {
    const definition = row.definition as ProtocolDefinition;
    return {
      version: row.version,
      effectiveFrom: row.effectiveFrom,
      status: row.status,
      title: definition.title,
      signatories: row.signatories,
      signedBy: row.signedBy,
      ...(withRules ? { rules: definition.rules } : {}),
    };
  });
  const latest = rows[rows.length - 1];
  return {
    id: latest?.protocolId ?? '',
    title: versions[versions.length - 1]?.title ?? '',
    endedOn: latest?.endedOn ?? null,
    versions,
  };
}
