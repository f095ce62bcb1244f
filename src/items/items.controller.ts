import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { actsAsAdmin, Auth, type AuthContext } from '../auth/auth-context.js';
import { Authenticated } from '../auth/decorators.js';
import { ApiErrorResponse, refusedInput } from '../common/error-responses.js';
import { Message } from '../common/message.dto.js';
import { PageQuery } from '../common/pagination.dto.js';
import { CreateItemRequest, UpdateItemRequest } from './dto/item-requests.dto.js';
import { ItemPage, ItemView } from './dto/item.dto.js';
import { itemExists, itemNotFound } from './items.errors.js';
import { ItemsService } from './items.service.js';

const ITEMS = { scopes: ['items' as const] };

const ITEM_DELETED: Message = { message: 'Item deleted successfully' };

const ApiItemNotFoundResponse = () => ApiErrorResponse('No such item, or not yours', { item_not_found: itemNotFound() });
const ApiItemExistsResponse = () => ApiErrorResponse('You already have an item with this item_id', { item_exists: itemExists() });

@ApiTags('items')
@Controller()
export class ItemsController {
  constructor(private readonly items: ItemsService) {}

  @Get('users/me/items')
  @Authenticated(ITEMS)
  @ApiOperation({ summary: "The caller's items, as a plain list (the tutorial's route)" })
  @ApiOkResponse({ type: [ItemView] })
  async readOwnItems(@Auth() { user }: AuthContext): Promise<ItemView[]> {
    return (await this.items.listOwnedBy(user)).map(ItemView.from);
  }

  @Post('items')
  @Authenticated(ITEMS)
  @ApiOperation({ summary: 'Create an item' })
  @ApiCreatedResponse({ type: ItemView })
  @ApiItemExistsResponse()
  @ApiErrorResponse('Invalid fields', { invalid_fields: refusedInput(CreateItemRequest, 'body', { title: 'Foo' }) })
  async createItem(@Auth() { user }: AuthContext, @Body() body: CreateItemRequest): Promise<ItemView> {
    return ItemView.from(await this.items.create(user, body));
  }

  @Get('items')
  @Authenticated(ITEMS)
  @ApiOperation({ summary: 'Your items, a page at a time (a superuser with the admin scope sees all)' })
  @ApiOkResponse({ type: ItemPage })
  @ApiErrorResponse('Invalid skip or limit', { invalid_query: refusedInput(PageQuery, 'query', { skip: '-1' }) })
  async listItems(@Auth() auth: AuthContext, @Query() page: PageQuery): Promise<ItemPage> {
    const { data, count } = await this.items.page(auth.user, page.skip, page.limit, actsAsAdmin(auth));
    return { data: data.map(ItemView.from), count };
  }

  @Get('items/:id')
  @Authenticated(ITEMS)
  @ApiOperation({ summary: 'Read an item' })
  @ApiOkResponse({ type: ItemView })
  @ApiItemNotFoundResponse()
  async readItem(@Auth() auth: AuthContext, @Param('id') id: string): Promise<ItemView> {
    return ItemView.from(await this.items.read(auth.user, id, actsAsAdmin(auth)));
  }

  @Patch('items/:id')
  @Authenticated(ITEMS)
  @ApiOperation({ summary: 'Change an item' })
  @ApiOkResponse({ type: ItemView })
  @ApiItemNotFoundResponse()
  @ApiItemExistsResponse()
  @ApiErrorResponse('Invalid fields', { invalid_fields: refusedInput(UpdateItemRequest, 'body', { title: '' }) })
  async updateItem(@Auth() auth: AuthContext, @Param('id') id: string, @Body() body: UpdateItemRequest): Promise<ItemView> {
    return ItemView.from(await this.items.update(auth.user, id, body, actsAsAdmin(auth)));
  }

  @Delete('items/:id')
  @Authenticated(ITEMS)
  @HttpCode(200)
  @ApiOperation({ summary: 'Delete an item' })
  @ApiOkResponse({ type: Message, example: ITEM_DELETED })
  @ApiItemNotFoundResponse()
  async deleteItem(@Auth() auth: AuthContext, @Param('id') id: string): Promise<Message> {
    await this.items.remove(auth.user, id, actsAsAdmin(auth));
    return ITEM_DELETED;
  }
}
