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

  @ApiPropertyOptional({
    description: 'RSA: modulus, base64url',
    example:
      '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw',
  })
  n?: string;

  @ApiPropertyOptional({ description: 'RSA: exponent, base64url', example: 'AQAB' })
  e?: string;
}

export class JwkSet {
  @ApiProperty({
    type: [PublicJwkView],
    description: 'Empty under JWT_ALGORITHM=HS256, whose key is secret',
    example: [
      {
        crv: 'P-256',
        kty: 'EC',
        x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
        y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
        kid: 'Wz2f0X6mQ3kq6gq7yR0fJX7a1s0b3e3GJ8uRv0m4p1k',
        alg: 'ES256',
        use: 'sig',
      },
    ],
  })
  keys: PublicJwkView[];
}
