import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ComplianceQueries } from '@relais/compliance';
import { Inbox } from '@relais/obligations';
import { CaseSummaries, Credentials, ProtocolVersions, Referrals } from '@relais/read-models';
import { Erasures, Retention } from '@relais/privacy';
import { AccessLogController } from './access-log/access-log.controller';
import { ErasuresController } from './privacy/erasures.controller';
import { RetentionController } from './privacy/retention.controller';
import { AdminController } from './admin/admin.controller';
import { ProjectionRebuilds } from './admin/projection-rebuilds';
import { ComplianceController } from './compliance/compliance.controller';
import { DpoController } from './dpo/dpo.controller';
import { SubjectLookupBackfill } from './dpo/subject-lookup-backfill';
import { SubjectReports } from './dpo/subject-report';
import { AcknowledgeNotificationHandler, InboxController } from './inbox/inbox.controller';
import { ProtocolsModule } from './protocols/protocols.module';
import { AuthController } from './auth/auth.controller';
import { ActorResolver } from './cases/actor-resolver';
import { CaseAppender } from './cases/case-appender';
import { CaseCommands } from './cases/case-commands';
import { CasePreviews } from './cases/case-preview';
import { CaseRepository } from './cases/case-repository';
import { CaseViews } from './cases/case-views';
import { CaseSearch } from './cases/case-search';
import { FamilyNames } from './cases/family-names';
import { CasesController } from './cases/cases.controller';
import { ReferralsController } from './cases/referrals.controller';
import { LogCaseEventHandler } from './cases/log-case-event.handler';
import { OpenCaseHandler } from './cases/open-case.handler';
import { NetworkController } from './network/network.controller';
import { CoordinationQueries } from '@relais/coordination';
import { CoordinationController } from './coordination/coordination.controller';
import { COORDINATION_COMMAND_HANDLERS } from './coordination/coordination.commands';
import { WebhooksController } from './webhooks/webhooks.controller';
import { WebAppServer } from './web-app/web-app.server';
import {
  ChangeStaffMemberHandler,
  RegisterOrganisationHandler,
  RegisterStaffMemberHandler,
  UpdateOrganisationHandler,
} from './network/network.commands';

const commandHandlers = [
  AcknowledgeNotificationHandler,
  OpenCaseHandler,
  LogCaseEventHandler,
  RegisterOrganisationHandler,
  UpdateOrganisationHandler,
  RegisterStaffMemberHandler,
  ChangeStaffMemberHandler,
  ...COORDINATION_COMMAND_HANDLERS,
];

/** The api role: HTTP commands in, queries out, under /api/v1; and the web application. */
@Module({
  imports: [CqrsModule, ProtocolsModule],
  controllers: [
    AuthController,
    NetworkController,
    CasesController,
    ReferralsController,
    InboxController,
    WebhooksController,
    ComplianceController,
    AdminController,
    AccessLogController,
    DpoController,
    ErasuresController,
    RetentionController,
    CoordinationController,
  ],
  providers: [
    ...commandHandlers,
    Credentials,
    CaseSummaries,
    Referrals,
    Inbox,
    ComplianceQueries,
    ProtocolVersions,
    ProjectionRebuilds,
    CaseRepository,
    CaseAppender,
    CaseViews,
    CaseSearch,
    FamilyNames,
    CaseCommands,
    CasePreviews,
    ActorResolver,
    WebAppServer,
    SubjectReports,
    SubjectLookupBackfill,
    Erasures,
    Retention,
    CoordinationQueries,
  ],
})
export class ApiModule {}
