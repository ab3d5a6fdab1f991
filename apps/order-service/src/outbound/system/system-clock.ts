import { Injectable } from '@nestjs/common';
import { Clock } from '@app/ordering';

@Injectable()
export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}
