import { randomUUID } from 'node:crypto';
import { HttpException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { connectAndMigrate, dataSourceOptions } from '../database/data-source.js';
import { User } from '../users/user.entity.js';
import { ItemView } from './dto/item.dto.js';
import { Item } from './item.entity.js';
import { ItemsService } from './items.service.js';

/** The status and body the exception filter would answer with, for a call that must be refused. */
async function refusal(call: Promise<unknown>): Promise<{ status: number; body: unknown }> {
  try {
    await call;
  } catch (error) {
    if (error instanceof HttpException) return { status: error.getStatus(), body: error.getResponse() };
    throw error;
  }
  throw new Error('the call was not refused');
}

const NOT_FOUND = { status: 404, body: { detail: 'Item not found' } };
const EXISTS = { status: 409, body: { detail: 'Item already exists' } };

describe('ItemsService', () => {
  let dataSource: DataSource;
  let items: ItemsService;
  let jane: User;
  let john: User;
  let admin: User;

  async function addUser(username: string, isSuperuser = false): Promise<User> {
    return dataSource.getRepository(User).save({
      id: randomUUID(),
      username,
      usernameKey: username,
      email: null,
      fullName: null,
      hashedPassword: 'not checked here',
      isSuperuser,
    });
  }

  beforeEach(async () => {
    dataSource = new DataSource(dataSourceOptions('sqlite::memory:'));
    await connectAndMigrate(dataSource);
    items = new ItemsService(dataSource.getRepository(Item));
    [jane, john, admin] = [await addUser('jane'), await addUser('john'), await addUser('root', true)];
  });

  afterEach(() => dataSource.destroy());

  it('creates an item owned by its creator, with a new id and no description unless given', async () => {
    const created = await items.create(jane, { item_id: 'Foo', title: 'The Foo' });
    expect(ItemView.from(created)).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), item_id: 'Foo', title: 'The Foo', description: null, owner: 'jane' });
    expect(ItemView.from(await items.read(jane, created.id, false))).toEqual(ItemView.from(created));
  });

  it("refuses a second item with the same item_id for one owner, but not another owner's", async () => {
    await items.create(jane, { item_id: 'Foo', title: 'The Foo' });
    expect(await refusal(items.create(jane, { item_id: 'Foo', title: 'Another Foo' }))).toEqual(EXISTS);
    expect(ItemView.from(await items.create(john, { item_id: 'Foo', title: "John's Foo" }))).toMatchObject({ item_id: 'Foo', owner: 'john' });
  });

  it("lists only the owner's items, by item_id", async () => {
    await items.create(jane, { item_id: 'b', title: 'B' });
    await items.create(john, { item_id: 'a', title: 'Not hers' });
    await items.create(jane, { item_id: 'a', title: 'A' });
    expect((await items.listOwnedBy(jane)).map(ItemView.from)).toEqual([
      expect.objectContaining({ item_id: 'a', title: 'A', owner: 'jane' }),
      expect.objectContaining({ item_id: 'b', title: 'B', owner: 'jane' }),
    ]);
  });

  it("pages through the caller's own items, counting them all whatever skip and limit", async () => {
    for (const itemId of ['a', 'b', 'c']) await items.create(jane, { item_id: itemId, title: itemId });
    await items.create(john, { item_id: 'd', title: 'd' });
    const { data, count } = await items.page(jane, 1, 1, false);
    expect({ data: data.map((item) => item.itemId), count }).toEqual({ data: ['b'], count: 3 });
  });

  it("shows a superuser acting as administrator everyone's items", async () => {
    await items.create(jane, { item_id: 'a', title: 'a' });
    const johns = await items.create(john, { item_id: 'b', title: 'b' });
    const { data, count } = await items.page(admin, 0, 100, true);
    expect({ owners: data.map((item) => item.owner.username), count }).toEqual({ owners: ['jane', 'john'], count: 2 });
    expect(ItemView.from(await items.read(admin, johns.id, true))).toMatchObject({ item_id: 'b', owner: 'john' });
  });

  it('treats a superuser not acting as administrator as any other user: own items only', async () => {
    const roots = await items.create(admin, { item_id: 'r', title: 'r' });
    const johns = await items.create(john, { item_id: 'j', title: 'j' });
    const { data, count } = await items.page(admin, 0, 100, false);
    expect({ ids: data.map((item) => item.id), count }).toEqual({ ids: [roots.id], count: 1 });
    expect(await refusal(items.read(admin, johns.id, false))).toEqual(NOT_FOUND);
    expect(await refusal(items.update(admin, johns.id, { title: 'Taken' }, false))).toEqual(NOT_FOUND);
    expect(await refusal(items.remove(admin, johns.id, false))).toEqual(NOT_FOUND);
    expect(ItemView.from(await items.read(john, johns.id, false))).toMatchObject({ title: 'j' });
  });

  it("answers another user's item, an unknown id and a malformed id alike: not found", async () => {
    const johns = await items.create(john, { item_id: 'Foo', title: 'The Foo' });
    expect(await refusal(items.read(jane, johns.id, false))).toEqual(NOT_FOUND);
    expect(await refusal(items.read(jane, randomUUID(), false))).toEqual(NOT_FOUND);
    expect(await refusal(items.read(jane, 'not-a-uuid', false))).toEqual(NOT_FOUND);
    expect(await refusal(items.update(jane, johns.id, { title: 'Mine now' }, false))).toEqual(NOT_FOUND);
    expect(await refusal(items.remove(jane, johns.id, false))).toEqual(NOT_FOUND);
    expect(ItemView.from(await items.read(john, johns.id, false))).toMatchObject({ title: 'The Foo' });
  });

  it('changes only the fields given, and a null description clears it', async () => {
    const item = await items.create(jane, { item_id: 'Foo', title: 'The Foo', description: 'Old' });
    const renamed = await items.update(jane, item.id, { title: 'The New Foo' }, false);
    expect(ItemView.from(renamed)).toEqual({ id: item.id, item_id: 'Foo', title: 'The New Foo', description: 'Old', owner: 'jane' });
    await items.update(jane, item.id, { description: null }, false);
    expect(ItemView.from(await items.read(jane, item.id, false))).toEqual({ ...ItemView.from(renamed), description: null });
  });

  it('refuses to give an item the item_id of another of the same owner, and leaves it unchanged', async () => {
    await items.create(jane, { item_id: 'Foo', title: 'The Foo' });
    const bar = await items.create(jane, { item_id: 'Bar', title: 'The Bar' });
    expect(await refusal(items.update(jane, bar.id, { item_id: 'Foo', title: 'Renamed' }, false))).toEqual(EXISTS);
    expect(ItemView.from(await items.read(jane, bar.id, false))).toMatchObject({ item_id: 'Bar', title: 'The Bar' });
  });

  it('deletes an item, which then is not found', async () => {
    const item = await items.create(jane, { item_id: 'Foo', title: 'The Foo' });
    await items.remove(jane, item.id, false);
    expect(await refusal(items.read(jane, item.id, false))).toEqual(NOT_FOUND);
    expect(await items.listOwnedBy(jane)).toEqual([]);
  });
});
