import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { IdGenerator } from '@app/ordering';

@Injectable()
export class RandomUuidGenerator extends IdGenerator {
  newId(): string {
    return randomUUID();
  }
}
