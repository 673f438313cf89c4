import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ProtocolVersions } from '@relais/read-models';
import { CaseRepository } from '../cases/case-repository';
import { DraftProtocolVersionHandler } from './draft-protocol-version.handler';
import { ChangeProtocolHandler } from './protocol-commands';
import { YamlBodyMiddleware } from './protocol-document.body';
import { ProtocolSimulator } from './protocol-simulation';
import { ProtocolViews } from './protocol-views';
import { ProtocolsController } from './protocols.controller';
import { SignProtocolVersionHandler } from './sign-protocol-version.handler';

/** Protocols: upload, signatures, versions, and the dry run of a hypothetical event. */
@Module({
  imports: [CqrsModule],
  controllers: [ProtocolsController],
  providers: [
    ChangeProtocolHandler,
    DraftProtocolVersionHandler,
    SignProtocolVersionHandler,
    ProtocolVersions,
    ProtocolViews,
    ProtocolSimulator,
    CaseRepository,
  ],
  exports: [ProtocolSimulator],
})
export class ProtocolsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(YamlBodyMiddleware).forRoutes(ProtocolsController);
  }
}
