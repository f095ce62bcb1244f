// The two ways to trust a token, one route each: by its signature alone, or by its signature and
// then the service's word that it is still active.
import { Controller, createParamDecorator, type ExecutionContext, Get, UseGuards } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { ActiveTokenGuard } from './introspection.js';
import type { AccessTokenClaims } from './signature.strategy.js';

/** The verified claims, which passport put on the request as its `user`. */
const Claims = createParamDecorator((_data: unknown, context: ExecutionContext) => context.switchToHttp().getRequest<{ user: AccessTokenClaims }>().user);

@Controller()
export class ResourceController {
  @Get('signature-checked')
  @UseGuards(AuthGuard('signature'))
  signatureChecked(@Claims() claims: AccessTokenClaims) {
    return { sub: claims.sub, scope: claims.scope ?? '', checked_by: 'signature' };
  }

  @Get('introspected')
  @UseGuards(AuthGuard('signature'), ActiveTokenGuard)
  introspected(@Claims() claims: AccessTokenClaims) {
    return { sub: claims.sub, scope: claims.scope ?? '', checked_by: 'introspection' };
  }
}
