// The tutorial's smallest protected route: it answers anyone with a valid bearer token, and shows
// what `@Authenticated()` alone asks for.
import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Authenticated } from './decorators.js';

class ProtectedMessage {
  @ApiProperty({ example: 'Hello, authenticated user!' })
  message: string;
}

@ApiTags('auth')
@Controller()
export class ProtectedController {
  @Get('protected')
  @Authenticated()
  @ApiOperation({ summary: 'Answers only with a valid token' })
  @ApiOkResponse({ type: ProtectedMessage })
  readProtected(): ProtectedMessage {
    return { message: 'Hello, authenticated user!' };
  }
}
