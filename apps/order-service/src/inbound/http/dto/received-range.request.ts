import { BadRequestException } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional } from 'class-validator';

const timestamp = (parameter: string) =>
  IsISO8601({ strict: true }, { message: `${parameter} must be an ISO 8601 timestamp, e.g. 2026-11-21T10:00:00Z` });

/** The `receivedFrom` (inclusive) / `receivedTo` (exclusive) window shared by the listing and the stats. */
export class ReceivedRangeRequest {
  @ApiPropertyOptional({ format: 'date-time', description: 'Orders received at or after this instant.' })
  @IsOptional()
  @timestamp('receivedFrom')
  receivedFrom?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Orders received before this instant.' })
  @IsOptional()
  @timestamp('receivedTo')
  receivedTo?: string;

  receivedRange(): { receivedFrom?: Date; receivedTo?: Date } {
    const receivedFrom = this.receivedFrom === undefined ? undefined : new Date(this.receivedFrom);
    const receivedTo = this.receivedTo === undefined ? undefined : new Date(this.receivedTo);
    if (receivedFrom && receivedTo && receivedFrom >= receivedTo) {
      throw new BadRequestException('receivedFrom must be before receivedTo');
    }
    return { receivedFrom, receivedTo };
  }
}
