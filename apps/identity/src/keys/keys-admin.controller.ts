import { Controller, Get, Post, Query } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { actorIdOf, CurrentPrincipal, type Principal } from '../auth/principal';
import { Ctx, RequestContext } from '../common/request-context';
import type { Page } from '../common/pagination';
import { RequirePermissions } from '../roles/require-permissions.decorator';
import { KeyRotationService } from './key-rotation.service';
import { KeyView, KeysService } from './keys.service';

export class RotateQuery {
  /** Withdraw the previous key at once: every token it signed stops verifying. */
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  revoke_previous?: boolean;
}

/** The signing keys for admins: what is published, and the lever for a suspected compromise. */
@Controller('v1/admin/keys')
@RequirePermissions('key:rotate')
export class KeysAdminController {
  constructor(
    private readonly keys: KeysService,
    private readonly rotation: KeyRotationService,
  ) {}

  @Get()
  async list(): Promise<Page<KeyView>> {
    return { items: await this.keys.list(), next_cursor: null };
  }

  @Post('rotate')
  async rotate(
    @Query() query: RotateQuery,
    @CurrentPrincipal() principal: Principal,
    @Ctx() context: RequestContext,
  ): Promise<KeyView> {
    const revokePrevious = query.revoke_previous ?? false;
    const kid = await this.rotation.rotate(context, revokePrevious, actorIdOf(principal));
    const created = (await this.keys.list()).find((key) => key.kid === kid);
    if (!created) throw new Error(`rotated key ${kid} is not in the key list`);
    return created;
  }
}
