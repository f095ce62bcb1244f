import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { connectAndMigrate } from '../database/data-source.js';

/**
 * The server's database, connected only by the commands that use it (so `--help` and
 * `hash-password` need none), its schema brought up to date as the server does at start-up.
 */
@Injectable()
export class CliDatabase {
  constructor(private readonly dataSource: DataSource) {}

  /** Connects and runs pending migrations; returns the names of those it ran. */
  async open(): Promise<string[]> {
    return connectAndMigrate(this.dataSource);
  }
}
