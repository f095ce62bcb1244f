import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/decorators.js';
import { AppConfig } from '../config/app-config.js';
import { JwkSet } from './dto/jwk-set.dto.js';
import { SigningKeys } from './signing-keys.js';

@ApiTags('discovery')
@Controller('.well-known')
export class JwksController {
  constructor(
    private readonly keys: SigningKeys,
    private readonly config: AppConfig,
  ) {}

  @Get('jwks.json')
  @Public()
  @ApiOperation({
    summary: 'RFC 7517: the public keys tokens are signed with (none under HS256)',
    description:
      'Every public key that may have signed a token still live. A new key is listed before it signs, and a retired one until the last token it signed has expired, so a copy is good for `max-age` seconds.',
  })
  @ApiOkResponse({ type: JwkSet })
  jwks(@Res({ passthrough: true }) reply: FastifyReply): JwkSet {
    reply.header('Cache-Control', `public, max-age=${this.config.jwksMaxAgeSeconds}`);
    return { keys: this.keys.publishedKeys() };
  }
}
