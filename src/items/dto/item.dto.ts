import { ApiProperty } from '@nestjs/swagger';

export class ItemView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'Foo' })
  item_id: string;

  @ApiProperty({ example: 'Foo' })
  title: string;

  @ApiProperty({ type: String, nullable: true })
  description: string | null;

  @ApiProperty({ example: 'johndoe', description: "The owner's username" })
  owner: string;
}

export class ItemPage {
  @ApiProperty({ type: [ItemView] })
  data: ItemView[];

  @ApiProperty({ description: 'All matching items, whatever skip and limit', example: 1 })
  count: number;
}
