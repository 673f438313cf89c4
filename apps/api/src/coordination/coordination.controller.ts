import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Put,
  StreamableFile,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal, Roles } from '@relais/auth';
import {
  CoordinationQueries,
  CoordinationRuleViolation,
  fromHsds,
  toHsds,
} from '@relais/coordination';
import { IdempotencyKey, InvalidInputException, MaxBodyBytes } from '@relais/platform';
import { BODY_LIMITS, STAFF_ROLES, type BodyMember } from '@relais/wire';
import { randomUUID } from 'node:crypto';
import {
  ChangeBody,
  ChangeMeeting,
  ChangeMemberService,
  ChangePoliticalOfficials,
  CoordinationChanged,
  ImportMemberServices,
} from './coordination.commands';
import * as dto from './coordination.dto';
import { minutesPdf } from './minutes-pdf';

const EVERYONE = STAFF_ROLES as unknown as [Principal['roles'][number]];

const bodyNotFound = (id: string) =>
  new NotFoundException({ message: `No body ${id}`, code: 'BODY_NOT_FOUND' });
const meetingNotFound = (id: string) =>
  new NotFoundException({ message: `No meeting ${id}`, code: 'MEETING_NOT_FOUND' });

const isCoordinator = (p: Principal) => p.roles.includes('coordinator');

/**
 * The coordination sociale: the coordinator keeps the directory of member services, the bodies,
 * their meetings and minutes, and the political officials; a member of staff reads the bodies they
 * sit in (in person, or through their organisation's member service) and those bodies' minutes.
 */
@ApiTags('coordination')
@ApiBearerAuth()
@Controller('coordination')
export class CoordinationController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly coordination: CoordinationQueries,
  ) {}

  /** The directory is for orienting people towards services: open to every member of staff. */
  @Get('members')
  @Roles(...EVERYONE)
  members() {
    return this.coordination.members();
  }

  /** The directory as Open Referral HSDS 3.0 JSON, for other tools: a page of organisations. */
  @Get('members/hsds')
  @Roles(...EVERYONE)
  async membersAsHsds() {
    return toHsds(await this.coordination.members());
  }

  /** Member services from an HSDS 3.0 page of organisations: new ids registered, known ones updated. */
  @Post('members/hsds')
  @Roles('coordinator')
  @MaxBodyBytes(BODY_LIMITS.documentBytes)
  @HttpCode(HttpStatus.OK)
  importHsds(@Body() document: dto.HsdsPageDto, @CurrentPrincipal() by: Principal) {
    const { members, problems } = fromHsds(document);
    if (problems.length > 0) throw new InvalidInputException(problems);
    return this.commandBus.execute(new ImportMemberServices(members, by));
  }

  @Post('members')
  @Roles('coordinator')
  async registerMember(
    @Body() body: dto.RegisterMemberServiceDto,
    @CurrentPrincipal() by: Principal,
    @IdempotencyKey() key?: string,
  ): Promise<{ id: string } & CoordinationChanged> {
    const memberId = randomUUID();
    const changed = await this.commandBus.execute<ChangeMemberService, CoordinationChanged>(
      new ChangeMemberService(
        memberId,
        { type: 'RegisterMemberService', data: { memberId, ...body } },
        by,
        key,
      ),
    );
    return { id: memberId, ...changed };
  }

  @Patch('members/:id')
  @Roles('coordinator')
  updateMember(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: dto.UpdateMemberServiceDto,
    @CurrentPrincipal() by: Principal,
  ) {
    return this.commandBus.execute(
      new ChangeMemberService(id, { type: 'UpdateMemberService', data: body }, by),
    );
  }

  @Post('members/:id/charter')
  @Roles('coordinator')
  @HttpCode(HttpStatus.OK)
  signCharter(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: dto.SignCharterDto,
    @CurrentPrincipal() by: Principal,
  ) {
    return this.commandBus.execute(
      new ChangeMemberService(id, { type: 'SignCharter', data: body }, by),
    );
  }

  /** The coordinator sees every body; anyone else, the bodies they sit in. */
  @Get('bodies')
  @Roles(...EVERYONE)
  bodies(@CurrentPrincipal() reader: Principal) {
    return this.coordination.bodies(isCoordinator(reader) ? undefined : reader);
  }

  @Post('bodies')
  @Roles('coordinator')
  async createBody(
    @Body() body: dto.CreateBodyDto,
    @CurrentPrincipal() by: Principal,
    @IdempotencyKey() key?: string,
  ): Promise<{ id: string } & CoordinationChanged> {
    const bodyId = randomUUID();
    const changed = await this.commandBus.execute<ChangeBody, CoordinationChanged>(
      new ChangeBody(bodyId, { type: 'CreateBody', data: { bodyId, ...body } }, by, key),
    );
    return { id: bodyId, ...changed };
  }

  @Get('bodies/:id')
  @Roles(...EVERYONE)
  async body(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() reader: Principal) {
    await this.readable(id, reader);
    const body = await this.coordination.body(id);
    if (!body) throw bodyNotFound(id);
    return body;
  }

  @Post('bodies/:id/members')
  @Roles('coordinator')
  async addBodyMember(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: dto.BodyMemberDto,
    @CurrentPrincipal() by: Principal,
  ): Promise<{ key: string } & CoordinationChanged> {
    const member: BodyMember =
      body.kind === 'organisation'
        ? { kind: 'organisation', memberId: body.memberId as string }
        : {
            kind: 'person',
            personId: randomUUID(),
            name: body.name as string,
            email: (body.email as string).toLowerCase(),
            ...(body.staffId ? { staffId: body.staffId } : {}),
            ...(body.memberId ? { memberId: body.memberId } : {}),
          };
    const changed = await this.commandBus.execute<ChangeBody, CoordinationChanged>(
      new ChangeBody(id, { type: 'AddBodyMember', data: { member } }, by),
    );
    return { key: member.kind === 'organisation' ? member.memberId : member.personId, ...changed };
  }

  @Delete('bodies/:id/members/:key')
  @Roles('coordinator')
  removeBodyMember(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('key', ParseUUIDPipe) key: string,
    @CurrentPrincipal() by: Principal,
  ) {
    return this.commandBus.execute(
      new ChangeBody(id, { type: 'RemoveBodyMember', data: { member: key } }, by),
    );
  }

  @Get('bodies/:id/meetings')
  @Roles(...EVERYONE)
  async meetings(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() reader: Principal) {
    await this.readable(id, reader);
    return this.coordination.meetings(id);
  }

  @Post('meetings')
  @Roles('coordinator')
  async conveneMeeting(
    @Body() body: dto.ConveneMeetingDto,
    @CurrentPrincipal() by: Principal,
    @IdempotencyKey() key?: string,
  ): Promise<{ id: string } & CoordinationChanged> {
    const meetingId = randomUUID();
    const changed = await this.commandBus.execute<ChangeMeeting, CoordinationChanged>(
      new ChangeMeeting(meetingId, { type: 'ConveneMeeting', data: body }, by, key),
    );
    return { id: meetingId, ...changed };
  }

  /** A meeting and its minutes: the coordinator, and the members of its body. */
  @Get('meetings/:id')
  @Roles(...EVERYONE)
  meeting(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() reader: Principal) {
    return this.readableMeeting(id, reader);
  }

  /** The minutes as an A4 PDF in French, for whoever may read the meeting. */
  @Get('meetings/:id/minutes.pdf')
  @Roles(...EVERYONE)
  @ApiProduces('application/pdf')
  async minutesPdf(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentPrincipal() reader: Principal,
  ): Promise<StreamableFile> {
    const meeting = await this.readableMeeting(id, reader);
    const body = await this.coordination.body(meeting.bodyId);
    if (!body || meeting.minutes.text === null) {
      throw new CoordinationRuleViolation('MINUTES_NOT_DRAFTED', 'This meeting has no minutes yet');
    }
    return new StreamableFile(await minutesPdf(meeting, body), {
      type: 'application/pdf',
      disposition: `attachment; filename="proces-verbal-${meeting.date}.pdf"`,
    });
  }

  @Put('meetings/:id/attendance')
  @Roles('coordinator')
  recordAttendance(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: dto.AttendanceDto,
    @CurrentPrincipal() by: Principal,
  ) {
    return this.commandBus.execute(
      new ChangeMeeting(id, { type: 'RecordAttendance', data: body }, by),
    );
  }

  @Put('meetings/:id/minutes')
  @Roles('coordinator')
  draftMinutes(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: dto.MinutesDto,
    @CurrentPrincipal() by: Principal,
  ) {
    return this.commandBus.execute(new ChangeMeeting(id, { type: 'DraftMinutes', data: body }, by));
  }

  @Post('meetings/:id/minutes/approval')
  @Roles('coordinator')
  @HttpCode(HttpStatus.OK)
  approveMinutes(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: dto.ApproveMinutesDto,
    @CurrentPrincipal() by: Principal,
  ) {
    return this.commandBus.execute(
      new ChangeMeeting(id, { type: 'ApproveMinutes', data: body }, by),
    );
  }

  /** To every member of the body and every political official: e-mail, and the inbox of those with an account. */
  @Post('meetings/:id/minutes/distribution')
  @Roles('coordinator')
  @HttpCode(HttpStatus.OK)
  distributeMinutes(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() by: Principal) {
    return this.commandBus.execute(new ChangeMeeting(id, { type: 'DistributeMinutes' }, by));
  }

  /** A protocol drafted from this meeting: its history then shows where it came from. */
  @Post('meetings/:id/protocols')
  @Roles('coordinator')
  @HttpCode(HttpStatus.OK)
  linkProtocol(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: dto.LinkProtocolDto,
    @CurrentPrincipal() by: Principal,
  ) {
    return this.commandBus.execute(new ChangeMeeting(id, { type: 'LinkProtocol', data: body }, by));
  }

  /** The meetings a protocol was drafted from: which body, when. Every member of staff reads protocols. */
  @Get('protocols/:protocolId/origins')
  @Roles(...EVERYONE)
  protocolOrigins(@Param('protocolId') protocolId: string) {
    return this.coordination.originsOf(protocolId);
  }

  @Get('meetings/:id/deliveries')
  @Roles('coordinator')
  deliveries(@Param('id', ParseUUIDPipe) id: string) {
    return this.coordination.deliveries(id);
  }

  /** The approved minutes delivered to the caller's inbox. */
  @Get('minutes')
  @Roles(...EVERYONE)
  minutesInbox(@CurrentPrincipal() reader: Principal) {
    return this.coordination.minutesInbox(reader.staffId);
  }

  @Get('officials')
  @Roles('coordinator')
  officials() {
    return this.coordination.officials();
  }

  @Post('officials')
  @Roles('coordinator')
  async listOfficial(
    @Body() body: dto.PoliticalOfficialDto,
    @CurrentPrincipal() by: Principal,
  ): Promise<{ id: string } & CoordinationChanged> {
    const officialId = randomUUID();
    const changed = await this.commandBus.execute<ChangePoliticalOfficials, CoordinationChanged>(
      new ChangePoliticalOfficials(
        {
          type: 'ListPoliticalOfficial',
          data: { officialId, ...body, email: body.email.toLowerCase() },
        },
        by,
      ),
    );
    return { id: officialId, ...changed };
  }

  @Patch('officials/:id')
  @Roles('coordinator')
  updateOfficial(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: dto.UpdatePoliticalOfficialDto,
    @CurrentPrincipal() by: Principal,
  ) {
    return this.commandBus.execute(
      new ChangePoliticalOfficials(
        {
          type: 'UpdatePoliticalOfficial',
          data: {
            officialId: id,
            ...body,
            ...(body.email === undefined ? {} : { email: body.email.toLowerCase() }),
          },
        },
        by,
      ),
    );
  }

  @Delete('officials/:id')
  @Roles('coordinator')
  removeOfficial(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() by: Principal) {
    return this.commandBus.execute(
      new ChangePoliticalOfficials(
        { type: 'RemovePoliticalOfficial', data: { officialId: id } },
        by,
      ),
    );
  }

  private async readableMeeting(id: string, reader: Principal) {
    const meeting = await this.coordination.meeting(id);
    if (!meeting) throw meetingNotFound(id);
    await this.readable(meeting.bodyId, reader, () => meetingNotFound(id));
    return meeting;
  }

  /** A body the caller may read: every body for the coordinator, else one they sit in; 404 otherwise. */
  private async readable(
    bodyId: string,
    reader: Principal,
    refusal = () => bodyNotFound(bodyId),
  ): Promise<void> {
    if (isCoordinator(reader)) return;
    if (!(await this.coordination.sitsIn(bodyId, reader))) throw refusal();
  }
}
