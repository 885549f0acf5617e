import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import { CurrentPrincipal, Principal } from '../auth/principal';
import { Ctx, RequestContext } from '../common/request-context';
import { RequirePermissions } from '../roles/require-permissions.decorator';
import { CreateUserDto, ListUsersQuery, ReplaceRolesDto, UpdateUserDto } from './admin-users.dto';
import { AdminUsersService } from './admin-users.service';
import { UserAccessService } from './user-access.service';
import { UserDirectory } from './user-directory';

/** The admin API over user accounts; the caller may be a user or a service client. */
@Controller('v1/admin/users')
export class AdminUsersController {
  constructor(
    private readonly directory: UserDirectory,
    private readonly accounts: AdminUsersService,
    private readonly access: UserAccessService,
  ) {}

  @Get()
  @RequirePermissions('user:read')
  list(@Query() query: ListUsersQuery) {
    return this.directory.list(query);
  }

  @Get(':id')
  @RequirePermissions('user:read')
  view(@Param('id') id: string) {
    return this.directory.get(id);
  }

  @Post()
  @RequirePermissions('user:create')
  create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateUserDto,
    @Ctx() context: RequestContext,
  ) {
    return this.accounts.create(principal, body, context);
  }

  @Patch(':id')
  @RequirePermissions('user:update')
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: UpdateUserDto,
    @Ctx() context: RequestContext,
  ) {
    return this.accounts.update(principal, id, body, context);
  }

  @Put(':id/roles')
  @RequirePermissions('user:update')
  replaceRoles(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: ReplaceRolesDto,
    @Ctx() context: RequestContext,
  ) {
    return this.access.replaceRoles(principal, id, body.roles, context);
  }

  @Post(':id/mfa/reset')
  @HttpCode(200)
  @RequirePermissions('user:update')
  resetMfa(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Ctx() context: RequestContext,
  ) {
    return this.access.resetMfa(principal, id, context);
  }

  @Get(':id/sessions')
  @RequirePermissions('user:update')
  sessions(@Param('id') id: string) {
    return this.access.sessionsOf(id);
  }

  @Delete(':id/sessions')
  @HttpCode(204)
  @RequirePermissions('user:update')
  async endSessions(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Ctx() context: RequestContext,
  ) {
    await this.access.endSessions(principal, id, context);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermissions('user:delete')
  async remove(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Ctx() context: RequestContext,
  ) {
    await this.accounts.remove(principal, id, context);
  }
}
