import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
} from '@nestjs/common';
import {
  Claims,
  RequirePermissions,
  type AccessTokenClaims,
} from '../../../../libs/auth-client/src';
import { CreateDetectorDto } from './create-detector.dto';
import { DetectorStore } from './detector-store';

/**
 * Every route needs a valid Tessera access token (the kit's guard covers the whole app) and the
 * permission it names, which Tessera decides: the roles in examples/roles.yaml give `viewer`
 * read access, `data_scientist` create, and only `admin` delete.
 */
@Controller('detectors')
export class DetectorsController {
  constructor(private readonly store: DetectorStore) {}

  @Get()
  @RequirePermissions('detector:read')
  list() {
    return { items: this.store.list() };
  }

  @Get(':id')
  @RequirePermissions('detector:read')
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.store.get(id);
  }

  @Post()
  @RequirePermissions('detector:create')
  create(@Body() body: CreateDetectorDto, @Claims() caller: AccessTokenClaims) {
    return this.store.create(body, caller.sub);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermissions('detector:delete')
  remove(@Param('id', ParseUUIDPipe) id: string) {
    this.store.delete(id);
  }
}
