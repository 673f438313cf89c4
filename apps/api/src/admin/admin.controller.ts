import { Controller, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '@relais/auth';
import { ProjectionRebuilds } from './projection-rebuilds';

/** Operations for admins: rebuilding read models without downtime. */
@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@Controller('admin/projections')
export class AdminController {
  constructor(private readonly rebuilds: ProjectionRebuilds) {}

  /** The read models that can be rebuilt, each with its last or running rebuild's progress. */
  @Get()
  list() {
    return this.rebuilds.list();
  }

  /** 202 once the rebuild has started; follow it with GET. 409 when one is already running. */
  @Post(':name/rebuild')
  @HttpCode(HttpStatus.ACCEPTED)
  rebuild(@Param('name') name: string) {
    return this.rebuilds.start(name);
  }
}
