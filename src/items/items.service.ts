import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { FindOptionsWhere, Repository } from 'typeorm';
import { isUniqueViolation } from '../database/errors.js';
import type { User } from '../users/user.entity.js';
import type { CreateItemRequest, UpdateItemRequest } from './dto/item-requests.dto.js';
import type { ItemPage, ItemView } from './dto/item.dto.js';
import { Item } from './item.entity.js';
import { itemExists, itemNotFound } from './items.errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class ItemsService {
  constructor(@InjectRepository(Item) private readonly items: Repository<Item>) {}

  /** The tutorial's plain list of the caller's own items. */
  async listOwnedBy(owner: User): Promise<ItemView[]> {
    const items = await this.items.find({ where: { ownerId: owner.id }, order: { itemId: 'ASC', id: 'ASC' }, relations: { owner: true } });
    return items.map(toView);
  }

  /** A page of the caller's items; a superuser sees everyone's. */
  async page(caller: User, skip: number, limit: number): Promise<ItemPage> {
    const [items, count] = await this.items.findAndCount({
      where: this.visibleTo(caller),
      order: { itemId: 'ASC', id: 'ASC' },
      relations: { owner: true },
      skip,
      take: limit,
    });
    return { data: items.map(toView), count };
  }

  async create(owner: User, input: CreateItemRequest): Promise<ItemView> {
    const item = this.items.create({
      id: randomUUID(),
      itemId: input.item_id,
      title: input.title,
      description: input.description ?? null,
      ownerId: owner.id,
    });
    await this.insertOrConflict(() => this.items.insert(item));
    return toView({ ...item, owner });
  }

  async read(caller: User, id: string): Promise<ItemView> {
    return toView(await this.find(caller, id));
  }

  async update(caller: User, id: string, changes: UpdateItemRequest): Promise<ItemView> {
    const item = await this.find(caller, id);
    const patch: Partial<Item> = {};
    if (changes.item_id !== undefined) patch.itemId = changes.item_id;
    if (changes.title !== undefined) patch.title = changes.title;
    if (changes.description !== undefined) patch.description = changes.description;
    if (Object.keys(patch).length > 0) await this.insertOrConflict(() => this.items.update({ id: item.id }, patch));
    return toView({ ...item, ...patch });
  }

  async remove(caller: User, id: string): Promise<void> {
    const item = await this.find(caller, id);
    await this.items.delete({ id: item.id });
  }

  /** Another user's item is "not found": a 403 would tell that it exists. */
  private async find(caller: User, id: string): Promise<Item> {
    if (!UUID.test(id)) throw itemNotFound();
    const item = await this.items.findOne({ where: { id, ...this.visibleTo(caller) }, relations: { owner: true } });
    if (!item) throw itemNotFound();
    return item;
  }

  private visibleTo(caller: User): FindOptionsWhere<Item> {
    return caller.isSuperuser ? {} : { ownerId: caller.id };
  }

  private async insertOrConflict(write: () => Promise<unknown>): Promise<void> {
    try {
      await write();
    } catch (error) {
      if (isUniqueViolation(error)) throw itemExists();
      throw error;
    }
  }
}

function toView(item: Item): ItemView {
  return { id: item.id, item_id: item.itemId, title: item.title, description: item.description, owner: item.owner.username };
}
