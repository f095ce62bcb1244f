import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsNotEmpty,
  IsOptional,
  IsString,
  MaxLength,
  Validate,
  ValidateBy,
  ValidatorConstraint,
  type ValidationArguments,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { SCOPES } from '../../auth/scopes.js';
import { REDIRECT_URI_MAX_LENGTH, redirectUriProblem } from '../redirect-uris.js';

/** Every known scope but `admin`: a client never acts as a superuser. */
export const CLIENT_SCOPES = Object.keys(SCOPES).filter((scope) => scope !== 'admin');

export const MAX_REDIRECT_URIS = 10;

@ValidatorConstraint({ name: 'client_scope' })
class ClientScopeList implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (typeof value !== 'string') return false;
    const names = value.split(' ').filter((name) => name !== '');
    return names.length > 0 && names.every((name) => CLIENT_SCOPES.includes(name));
  }

  defaultMessage(): string {
    return `scope must name one or more of: ${CLIENT_SCOPES.join(', ')}`;
  }
}

/** The first redirect URI of `value` that redirect-uris.ts refuses, with why; a list of another type is IsArray's and IsString's. */
function firstRedirectUriProblem(value: unknown): string | undefined {
  if (!Array.isArray(value)) return undefined;
  for (const [index, uri] of value.entries()) {
    const problem = typeof uri === 'string' ? redirectUriProblem(uri) : undefined;
    if (problem) return `redirect_uris[${index}]: ${problem}`;
  }
  return undefined;
}

/** `POST /clients`. */
export class CreateClientRequest {
  @ApiProperty({ minLength: 1, maxLength: 100, example: 'billing-service', description: 'What the client is, for administrators' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name: string;

  @ApiProperty({
    maxLength: 255,
    example: 'me items',
    description: `Space-separated scopes the client may ask for: ${CLIENT_SCOPES.map((scope) => `\`${scope}\``).join(', ')} (never \`admin\`)`,
  })
  @IsString()
  @MaxLength(255)
  @Validate(ClientScopeList)
  scope: string;

  @ApiPropertyOptional({
    type: [String],
    maxItems: MAX_REDIRECT_URIS,
    example: ['https://app.example/callback'],
    description:
      `Where authorization answers may be sent, compared exactly. Each an absolute \`https:\` URI, \`http:\` on 127.0.0.1, [::1] or localhost, ` +
      `or a native app's reverse domain name scheme (\`com.example.app:/callback\`); no fragment, user name, or \`*\`; ` +
      `at most ${REDIRECT_URI_MAX_LENGTH} characters, written as a URL parser writes it back. None by default`,
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_REDIRECT_URIS)
  @IsString({ each: true })
  @ValidateBy({
    name: 'redirectUris',
    validator: {
      validate: (value: unknown) => firstRedirectUriProblem(value) === undefined,
      defaultMessage: (args?: ValidationArguments) => firstRedirectUriProblem(args?.value) ?? 'invalid redirect URI',
    },
  })
  redirect_uris?: string[];

  @ApiPropertyOptional({
    default: false,
    example: false,
    description: 'A client that cannot keep a secret (a single-page or mobile app): it gets none, and needs at least one redirect URI',
  })
  @IsOptional()
  @IsBoolean()
  @ValidateBy({
    name: 'publicClientRedirectUris',
    validator: {
      validate: (value: unknown, args?: ValidationArguments) => {
        const uris = (args?.object as Partial<CreateClientRequest> | undefined)?.redirect_uris;
        return value !== true || (Array.isArray(uris) && uris.length > 0);
      },
      defaultMessage: () => 'A public client needs at least one redirect URI',
    },
  })
  public?: boolean;

  @ApiPropertyOptional({ default: false, example: false, description: "An application of this service's own operator" })
  @IsOptional()
  @IsBoolean()
  first_party?: boolean;
}
