import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ChangeProtocolHandler } from './protocol-commands';

/** Protocols: upload, signatures, versions, and the dry run of a hypothetical event. */
@Module({
  imports: [CqrsModule],
  providers: [ChangeProtocolHandler],
})
export class ProtocolsModule {}
