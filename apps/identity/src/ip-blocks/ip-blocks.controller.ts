import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { actorIdOf, CurrentPrincipal, type Principal } from '../auth/principal';
import type { Page } from '../common/pagination';
import { Ctx, RequestContext } from '../common/request-context';
import { RequirePermissions } from '../roles/require-permissions.decorator';
import { CreateIpBlockDto } from './ip-blocks.dto';
import { IpBlocksService, IpBlockView } from './ip-blocks.service';

@Controller('v1/admin/ip-blocks')
@RequirePermissions('security:write')
export class IpBlocksController {
  constructor(private readonly blocks: IpBlocksService) {}

  @Get()
  async list(): Promise<Page<IpBlockView>> {
    return { items: await this.blocks.list(), next_cursor: null };
  }

  @Post()
  create(
    @Body() body: CreateIpBlockDto,
    @CurrentPrincipal() principal: Principal,
    @Ctx() context: RequestContext,
  ): Promise<IpBlockView> {
    return this.blocks.create(body, actorIdOf(principal), context);
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(
    @Param('id') id: string,
    @CurrentPrincipal() principal: Principal,
    @Ctx() context: RequestContext,
  ): Promise<void> {
    await this.blocks.remove(id, actorIdOf(principal), context);
  }
}
