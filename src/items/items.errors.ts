import { ConflictException, NotFoundException } from '@nestjs/common';

/** Also another user's item: a 403 would tell that it exists. */
export const itemNotFound = () => new NotFoundException({ detail: 'Item not found' });

export const itemExists = () => new ConflictException({ detail: 'Item already exists' });
