import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class PublicJwkView {
  @ApiProperty({ enum: ['EC', 'RSA'], example: 'EC' })
  kty: 'EC' | 'RSA';

  @ApiProperty({ description: "The key's RFC 7638 thumbprint; tokens name it in their `kid` header", example: 'Wz2f0X6mQ3kq6gq7yR0fJX7a1s0b3e3GJ8uRv0m4p1k' })
  kid: string;

  @ApiProperty({ enum: ['ES256', 'RS256'], example: 'ES256' })
  alg: 'ES256' | 'RS256';

  @ApiProperty({ enum: ['sig'], example: 'sig' })
  use: 'sig';

  @ApiPropertyOptional({ description: 'EC: the curve', example: 'P-256' })
  crv?: string;

  @ApiPropertyOptional({ description: 'EC: x coordinate, base64url', example: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU' })
  x?: string;

  @ApiPropertyOptional({ description: 'EC: y coordinate, base64url', example: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0' })
  y?: string;

  @ApiPropertyOptional({ description: 'RSA: modulus, base64url' })
  n?: string;

  @ApiPropertyOptional({ description: 'RSA: exponent, base64url', example: 'AQAB' })
  e?: string;
}

export class JwkSet {
  @ApiProperty({ type: [PublicJwkView], description: 'Empty under JWT_ALGORITHM=HS256, whose key is secret' })
  keys: PublicJwkView[];
}
