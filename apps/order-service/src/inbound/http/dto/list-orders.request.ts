import { ApiPropertyOptional } from '@nestjs/swagger';
import { OrderStatus } from '@app/ordering';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { ReceivedRangeRequest } from './received-range.request.js';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;
const STATUSES = Object.values(OrderStatus);
const LIMIT_MESSAGE = `limit must be an integer between 1 and ${MAX_PAGE_SIZE}`;

/** The query string of GET /orders; every parameter is optional and every bad one is named in the 400. */
export class ListOrdersRequest extends ReceivedRangeRequest {
  @ApiPropertyOptional({ enum: STATUSES })
  @IsOptional()
  @IsIn(STATUSES, { message: `status must be one of ${STATUSES.join(', ')}` })
  status?: OrderStatus;

  @ApiPropertyOptional({ minLength: 1, maxLength: 64 })
  @IsOptional()
  @IsString({ message: 'customerId must be given once' })
  @Length(1, 64, { message: 'customerId must be 1-64 characters' })
  customerId?: string;

  @ApiPropertyOptional({ pattern: '^[A-Za-z0-9._:-]{1,64}$', description: "Product A's order id." })
  @IsOptional()
  @IsString({ message: 'externalId must be given once' })
  @Matches(/^[A-Za-z0-9._:-]{1,64}$/, { message: 'externalId must be 1-64 characters of A-Z a-z 0-9 . _ : -' })
  externalId?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: LIMIT_MESSAGE })
  @Min(1, { message: LIMIT_MESSAGE })
  @Max(MAX_PAGE_SIZE, { message: LIMIT_MESSAGE })
  limit?: number;

  @ApiPropertyOptional({ description: "The previous page's nextCursor, unchanged." })
  @IsOptional()
  @IsString({ message: 'cursor must be given once' })
  cursor?: string;
}
