import { Body, Controller, Header, HttpCode, Post } from '@nestjs/common';
import { Ctx, RequestContext } from '../common/request-context';
import { LoginDto, MfaStepDto, RegisterDto } from './auth.dto';
import { MfaStepService } from './mfa-step.service';
import { PasswordLoginService } from './password-login.service';
import { RegistrationService } from './registration.service';
import { Public } from './public.decorator';

@Public()
@Controller('v1/auth')
export class AuthController {
  constructor(
    private readonly registration: RegistrationService,
    private readonly passwordLogin: PasswordLoginService,
    private readonly mfaStep: MfaStepService,
  ) {}

  @Post('register')
  @HttpCode(201)
  register(@Body() body: RegisterDto, @Ctx() context: RequestContext) {
    return this.registration.register(body, context);
  }

  @Post('login')
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  @Header('pragma', 'no-cache')
  login(@Body() body: LoginDto, @Ctx() context: RequestContext) {
    return this.passwordLogin.login(body, context);
  }

  @Post('mfa')
  @HttpCode(200)
  @Header('cache-control', 'no-store')
  @Header('pragma', 'no-cache')
  completeMfa(@Body() body: MfaStepDto, @Ctx() context: RequestContext) {
    return this.mfaStep.complete(body, context);
  }
}
