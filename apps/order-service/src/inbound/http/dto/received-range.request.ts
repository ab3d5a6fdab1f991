import { BadRequestException } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { parseRfc3339 } from '@app/ordering';
import { IsOptional, ValidateBy } from 'class-validator';

/** RFC 3339 only (contract section 3): any other ISO 8601 form would reach SQL as an Invalid Date. */
const instant = (parameter: string) =>
  ValidateBy({
    name: 'isRfc3339',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && parseRfc3339(value, 'date-time-or-date') !== null,
      defaultMessage: () =>
        `${parameter} must be an RFC 3339 date-time such as 2026-11-21T10:00:00Z or a full date such as 2026-11-21`,
    },
  });

/** The `receivedFrom` (inclusive) / `receivedTo` (exclusive) window shared by the listing and the stats. */
export class ReceivedRangeRequest {
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Orders received at or after this instant (RFC 3339; a full date is midnight UTC).',
  })
  @IsOptional()
  @instant('receivedFrom')
  receivedFrom?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Orders received before this instant (RFC 3339; a full date is midnight UTC).',
  })
  @IsOptional()
  @instant('receivedTo')
  receivedTo?: string;

  receivedRange(): { receivedFrom?: Date; receivedTo?: Date } {
    const receivedFrom = toInstant(this.receivedFrom);
    const receivedTo = toInstant(this.receivedTo);
    if (receivedFrom && receivedTo && receivedFrom >= receivedTo) {
      throw new BadRequestException('receivedFrom must be before receivedTo');
    }
    return { receivedFrom, receivedTo };
  }
}

/** Validated already: a value that is there parses. */
function toInstant(value: string | undefined): Date | undefined {
  return value === undefined ? undefined : (parseRfc3339(value, 'date-time-or-date') ?? undefined);
}
