import { ApiProperty } from '@nestjs/swagger';
import type { Item } from '../item.entity.js';

export class ItemView {
  @ApiProperty({ format: 'uuid', example: '3f2a9c1e-5b7d-4e08-a6c4-9d1b2e7f5a80' })
  id: string;

  @ApiProperty({ example: 'Foo' })
  item_id: string;

  @ApiProperty({ example: 'Foo' })
  title: string;

  @ApiProperty({ type: String, nullable: true, example: 'There goes my hero' })
  description: string | null;

  @ApiProperty({ example: 'johndoe', description: "The owner's username" })
  owner: string;

  /** `item` with its owner loaded. */
  static from(item: Item): ItemView {
    return { id: item.id, item_id: item.itemId, title: item.title, description: item.description, owner: item.owner.username };
  }
}

export class ItemPage {
  @ApiProperty({ type: [ItemView] })
  data: ItemView[];

  @ApiProperty({ description: 'All matching items, whatever skip and limit', example: 1 })
  count: number;
}
