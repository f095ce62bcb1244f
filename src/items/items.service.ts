import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { FindOptionsWhere, Repository } from 'typeorm';
import { isUniqueViolation } from '../database/errors.js';
import type { User } from '../users/user.entity.js';
import type { CreateItemRequest, UpdateItemRequest } from './dto/item-requests.dto.js';
import { Item } from './item.entity.js';
import { itemExists, itemNotFound } from './items.errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Every item it returns has its owner loaded, whose name the API shows. `asAdmin` says the caller acts
 * as administrator (`actsAsAdmin`: a superuser with the `admin` scope) and reaches every user's items;
 * otherwise only the caller's own.
 */
@Injectable()
export class ItemsService {
  constructor(@InjectRepository(Item) private readonly items: Repository<Item>) {}

  /** The tutorial's plain list of the caller's own items. */
  listOwnedBy(owner: User): Promise<Item[]> {
    return this.items.find({ where: { ownerId: owner.id }, order: { itemId: 'ASC', id: 'ASC' }, relations: { owner: true } });
  }

  /** A page of the caller's items; an administrator's page of everyone's. */
  async page(caller: User, skip: number, limit: number, asAdmin: boolean): Promise<{ data: Item[]; count: number }> {
    const [items, count] = await this.items.findAndCount({
      where: this.visibleTo(caller, asAdmin),
      order: { itemId: 'ASC', id: 'ASC' },
      relations: { owner: true },
      skip,
      take: limit,
    });
    return { data: items, count };
  }

  async create(owner: User, input: CreateItemRequest): Promise<Item> {
    const item = this.items.create({
      id: randomUUID(),
      itemId: input.item_id,
      title: input.title,
      description: input.description ?? null,
      ownerId: owner.id,
    });
    await this.insertOrConflict(() => this.items.insert(item));
    return { ...item, owner };
  }

  /** Adds `owner`'s items whose `item_id` the owner has no item of yet (demo data, loaded again). */
  async addUnlessTaken(owner: User, items: Pick<CreateItemRequest, 'item_id' | 'title'>[]): Promise<void> {
    if (items.length === 0) return;
    await this.items
      .createQueryBuilder()
      .insert()
      .into(Item)
      .values(items.map((item) => ({ id: randomUUID(), itemId: item.item_id, title: item.title, description: null, ownerId: owner.id })))
      .orIgnore()
      .execute();
  }

  read(caller: User, id: string, asAdmin: boolean): Promise<Item> {
    return this.find(caller, id, asAdmin);
  }

  async update(caller: User, id: string, changes: UpdateItemRequest, asAdmin: boolean): Promise<Item> {
    const item = await this.find(caller, id, asAdmin);
    const patch: Partial<Item> = {};
    if (changes.item_id !== undefined) patch.itemId = changes.item_id;
    if (changes.title !== undefined) patch.title = changes.title;
    if (changes.description !== undefined) patch.description = changes.description;
    if (Object.keys(patch).length > 0) await this.insertOrConflict(() => this.items.update({ id: item.id }, patch));
    return { ...item, ...patch };
  }

  async remove(caller: User, id: string, asAdmin: boolean): Promise<void> {
    const item = await this.find(caller, id, asAdmin);
    await this.items.delete({ id: item.id });
  }

  /** Another user's item is "not found": a 403 would tell that it exists. */
  private async find(caller: User, id: string, asAdmin: boolean): Promise<Item> {
    if (!UUID.test(id)) throw itemNotFound();
    const item = await this.items.findOne({ where: { id, ...this.visibleTo(caller, asAdmin) }, relations: { owner: true } });
    if (!item) throw itemNotFound();
    return item;
  }

  private visibleTo(caller: User, asAdmin: boolean): FindOptionsWhere<Item> {
    return asAdmin ? {} : { ownerId: caller.id };
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
