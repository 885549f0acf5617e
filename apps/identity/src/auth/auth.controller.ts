import { Body, Controller, Header, HttpCode, Post } from '@nestjs/common';
import { Ctx, RequestContext } from '../common/request-context';
import { LoginDto, RegisterDto } from './auth.dto';
import { AuthService } from './auth.service';
import { Public } from './public.decorator';

@Public()
@Controller('v1/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('register')
  @HttpCode(201)
  register(@Body() body: RegisterDto, @Ctx() context: RequestContext) {
    return this.auth.register(body, context);
  }

  @Post('login')
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  @Header('pragma', 'no-cache')
  login(@Body() body: LoginDto, @Ctx() context: RequestContext) {
    return this.auth.login(body, context);
  }
}
