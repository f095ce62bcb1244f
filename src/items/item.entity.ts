import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from '../users/user.entity.js';

@Entity({ name: 'items' })
@Index('uq_items_owner_item_id', ['ownerId', 'itemId'], { unique: true })
export class Item {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  /** The item's public name, such as the tutorial's `Foo`; unique per owner. */
  @Column({ name: 'item_id', type: 'varchar', length: 255 })
  itemId: string;

  @Column({ type: 'varchar', length: 255 })
  title: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ name: 'owner_id', type: 'varchar', length: 36 })
  ownerId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'owner_id' })
  owner: User;
}
