import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength, Validate, ValidatorConstraint, type ValidatorConstraintInterface } from 'class-validator';
import { SCOPES } from '../../auth/scopes.js';

/** Every known scope but `admin`: a client never acts as a superuser. */
export const CLIENT_SCOPES = Object.keys(SCOPES).filter((scope) => scope !== 'admin');

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
}
